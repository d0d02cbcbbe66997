#!/usr/bin/env node
// Renders CSL-JSON items with citeproc-js (npm package "citeproc") and prints JSON.
//
// Input (stdin): {"style": "/path/style.csl", "locale": "en-US",
//                 "locales_dir": "/path/with/locales-xx-XX.xml", "format": "text",
//                 "items": [CSL-JSON items]}
//                 "citations": false (optional: skip the in-text citations, for timing)
// Output (stdout): {"bibliography": [entry, ...], "ids": [id, ...] (bibliography order),
//                   "citations": {id: in-text citation of that item alone}}
// The style and locale files are the ones citeproc-py uses, so both processors get
// identical inputs.
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const request = JSON.parse(fs.readFileSync(0, "utf8"));
const items = {};
const order = [];
for (const item of request.items) {
  items[item.id] = item;
  order.push(item.id);
}

function retrieveLocale(lang) {
  const file = path.join(request.locales_dir, `locales-${lang}.xml`);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
}

const sys = {
  retrieveLocale,
  retrieveItem: (id) => items[id],
};
const styleXml = fs.readFileSync(request.style, "utf8");
// forceLang=true: the requested locale wins over the style's default-locale, as in citeproc-py.
const engine = new CSL.Engine(sys, styleXml, request.locale || "en-US", true);
engine.setOutputFormat(request.format || "text");

engine.updateItems(order);
const citations = {};
if (request.citations !== false) {
  for (const id of order) {
    citations[id] = engine.makeCitationCluster([{ id }]);
  }
}
const result = { bibliography: [], ids: [], citations };
const bib = engine.makeBibliography();
if (bib) {
  result.bibliography = bib[1].map((entry) => entry.trim());
  result.ids = bib[0].entry_ids.map((ids) => ids[0]);
}
process.stdout.write(JSON.stringify(result, null, 1) + "\n");

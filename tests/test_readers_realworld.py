"""What real exports hold that the readers got wrong: found by feeding bibconv what
DBLP, ACM, Mendeley and Zotero write, and comparing with what pandoc reads."""

from __future__ import annotations

import json

import bibconv
from bibconv.diagnostics import Diagnostic


def test_csl_json_doi_given_as_a_link_is_the_doi() -> None:
    """APA printed https://doi.org/https://doi.org/10.1000/XYZ."""
    text = json.dumps([{"id": "a", "type": "article-journal", "title": "x",
                        "DOI": "https://doi.org/10.1000/XYZ"}])
    (paper,) = bibconv.loads(text, "csl-json")
    assert paper.doi == "10.1000/XYZ"
    assert "https://doi.org/10.1000/XYZ" in bibconv.dumps([paper], "citation", style="apa")
    assert "doi.org/https" not in bibconv.dumps([paper], "citation", style="apa")


def test_mendeley_braced_escapes_and_several_links_in_a_url_field() -> None:
    bib = (r"@article{k, title={T}, author={A, B}, year=2020, url = {http://www.example.com/"
           r"some{\_}path/file{\%}20name.pdf http://www.ncbi.nlm.nih.gov/pubmed/31986264}}"
           "\n" r"@article{k2, title={T}, author={A, B}, year=2020, url = {http://x.org/a b.pdf}}")
    first, second = bibconv.loads(bib, "bibtex")
    assert first.url == "http://www.example.com/some_path/file%20name.pdf"
    assert first.extra["other-url"] == ["http://www.ncbi.nlm.nih.gov/pubmed/31986264"]
    assert second.url == "http://x.org/a%20b.pdf" and "other-url" not in second.extra


def test_dblp_homonym_numbers_in_bibtex_names() -> None:
    (paper,) = bibconv.loads("@article{k, title={T}, author={Bo Li 0026 and Weiwei Lin 0001 "
                             "and Li 2020}, year=2020}", "bibtex")
    assert [(a.given, a.family, a.homonym) for a in paper.author] == [
        ("Bo", "Li", "0026"), ("Weiwei", "Lin", "0001"), ("Li", "2020", None)]


def test_a_zotero_note_keeps_its_lines() -> None:
    """Zotero writes one entry a line in a CSL note (tex.*, PMID:), read line by line."""
    text = json.dumps([{"id": "a", "type": "article-journal", "title": "x",
                        "note": "tex.eprint: 1\r\nPMID:   2\n\n\n\nlast"}])
    found: list[Diagnostic] = []
    (paper,) = bibconv.loads(text, "csl-json", diagnostics=found)
    assert paper.note == "tex.eprint: 1\nPMID: 2\n\nlast"
    assert json.loads(bibconv.dumps([paper], "csl-json"))[0]["note"] == paper.note
    assert found == []


def test_csl_date_ranges_seasons_and_circa_come_back() -> None:
    """The model holds a range's start; the source's fuller date is written again with
    it (it was dropped, said to be something CSL-JSON cannot hold)."""
    for issued in ({"date-parts": [[2018, 5], [2019, 6]]},
                   {"date-parts": [[2020]], "season": 2, "circa": True}):
        text = json.dumps([{"id": "a", "type": "article-journal", "title": "x",
                            "issued": issued}])
        found: list[Diagnostic] = []
        papers = bibconv.loads(text, "csl-json", diagnostics=found)
        out = json.loads(bibconv.dumps(papers, "csl-json", diagnostics=found))
        assert out[0]["issued"] == issued
        assert found == []


def test_and_others_is_said_lost_in_csl_json() -> None:
    found: list[Diagnostic] = []
    papers = bibconv.loads("@article{k, title={T}, author={A Z and B Y and others}, "
                           "journal={J}, year=2020}", "bibtex")
    bibconv.dumps(papers, "csl-json", diagnostics=found)
    assert [d.code for d in found] == ["lossy-field"]
    assert "'and others'" in found[0].message


def test_acm_address_is_the_publishers_place_and_location_the_events() -> None:
    """ACM's classic BibTeX has both: pandoc reads address as the publisher's place."""
    bib = ("@inproceedings{10.1145/3442188.3445922, author = {Bender, Emily M.}, title = {On "
           "the Dangers of Stochastic Parrots}, year = {2021}, publisher = {Association for "
           "Computing Machinery}, address = {New York, NY, USA}, booktitle = {Proceedings of "
           "FAccT}, location = {Virtual Event, Canada}}")
    (paper,) = bibconv.loads(bib, "bibtex")
    assert paper.publisher_place == "New York, NY, USA"
    item = json.loads(bibconv.dumps([paper], "csl-json"))[0]
    assert item["publisher-place"] == "New York, NY, USA"
    assert item["event-place"] == "Virtual Event, Canada"
    assert item["id"] == "10.1145/3442188.3445922"


def test_a_genre_is_written_to_csl_json_unless_it_only_names_the_type() -> None:
    ris = "TY  - JOUR\nTI  - T\nT2  - J\nPY  - 2019\nM3  - Editorial\nER  - \n"
    item = json.loads(bibconv.dumps(bibconv.loads(ris, "ris"), "csl-json"))[0]
    assert item["genre"] == "Editorial"
    page = "NeurIPS Conference 2024 Conference Paper\n\nT\n\n  • Alice Smith\n"
    item = json.loads(bibconv.dumps(bibconv.loads(page, "cluster"), "csl-json"))[0]
    assert "genre" not in item and item["type"] == "paper-conference"


def test_a_report_number_is_csl_number_both_ways() -> None:
    """A report's number is CSL's number (APA printed a BibLaTeX report's as 'Issues')."""
    text = json.dumps([{"id": "r", "type": "report", "title": "T", "number": "TR-1",
                        "author": [{"family": "Li", "given": "Bo"}], "publisher": "MIT",
                        "issued": {"date-parts": [[2017]]}}])
    found: list[Diagnostic] = []
    (paper,) = bibconv.loads(text, "csl-json", diagnostics=found)
    assert paper.issue == "TR-1" and "number" not in paper.extra
    for writer in ("bibtex", "biblatex"):
        assert "number = {TR-1}" in bibconv.dumps([paper], writer, diagnostics=found)
    assert found == []
    (report,) = bibconv.loads("@report{r, title={T}, institution={MIT}, type={techreport}, "
                              "number={TR-2017-01}, date={2017}}", "biblatex")
    item = json.loads(bibconv.dumps([report], "csl-json"))[0]
    assert item["number"] == "TR-2017-01" and "issue" not in item
    assert "Issues" not in bibconv.dumps([report], "citation", style="apa")


def test_a_csl_date_that_cannot_be_read_costs_the_date_not_the_item() -> None:
    def read(issued: object) -> tuple[list[bibconv.Paper], list[str]]:
        found: list[Diagnostic] = []
        text = json.dumps([{"id": "a", "type": "article-journal", "title": "x",
                            "issued": issued}])
        papers = bibconv.loads(text, "csl-json", diagnostics=found)
        return papers, [d.code for d in found]

    papers, codes = read({"date-parts": [["2020-05"]]})
    assert papers[0].issued == bibconv.Date(2020, 5) and codes == []
    papers, codes = read({"date-parts": [["spring"]]})
    assert len(papers) == 1 and papers[0].issued is None and codes == ["bad-date"]
    # Kept as the source wrote it, which the schema allows: nothing lost.
    item = json.loads(bibconv.dumps(papers, "csl-json"))[0]
    assert item["issued"] == {"date-parts": [["spring"]]}


def test_biblatex_fields_csl_holds_cross_over_both_ways() -> None:
    """series, pagetotal, urldate, eventdate, origdate and venue are CSL's
    collection-title, number-of-pages, accessed, event-date, original-date and
    event-place (as pandoc maps them): kept from .bib to CSL-JSON and back."""
    bib = ("@book{k, author={Li, Bo}, title={T}, publisher={P}, year={2020}, edition={2}, "
           "series={Lecture Notes in CS}, urldate={2021-03-04}, url={http://x.org}, "
           "pagetotal={300}, origdate={1999}}")
    found: list[Diagnostic] = []
    papers = bibconv.loads(bib, "biblatex", diagnostics=found)
    csl = bibconv.dumps(papers, "csl-json", diagnostics=found)
    item = json.loads(csl)[0]
    assert item["collection-title"] == "Lecture Notes in CS"
    assert item["number-of-pages"] == "300"
    assert item["accessed"] == {"date-parts": [[2021, 3, 4]]}
    assert item["original-date"] == {"date-parts": [[1999]]}
    assert item["edition"] == "2"
    for writer in ("biblatex", "bibtex"):
        back = bibconv.dumps(bibconv.loads(csl, "csl-json"), writer, diagnostics=found)
        for field in ("series = {Lecture Notes in CS}", "urldate = {2021-03-04}",
                      "pagetotal = {300}", "origdate = {1999}", "edition = {2}"):
            assert field in back, (writer, field)
    assert found == []


def test_ris_edition_series_and_access_date_cross_over() -> None:
    """ET, T3 and Y2 are CSL's edition, collection-title and accessed (Zotero's RIS
    mapping), and BibTeX's edition, series and urldate: kept every way."""
    ris = ("TY  - BOOK\nAU  - Li, Bo\nTI  - T\nPY  - 2020\nET  - 2nd\nT3  - Lecture Notes\n"
           "Y2  - 2021/03/04/\nPB  - P\nER  - \n")
    found: list[Diagnostic] = []
    papers = bibconv.loads(ris, "ris", diagnostics=found)
    item = json.loads(bibconv.dumps(papers, "csl-json", diagnostics=found))[0]
    assert (item["edition"], item["collection-title"], item["accessed"]) == (
        "2nd", "Lecture Notes", {"date-parts": [[2021, 3, 4]]})
    bib = bibconv.dumps(papers, "bibtex", diagnostics=found)
    for field in ("edition = {2nd}", "series = {Lecture Notes}", "urldate = {2021-03-04}"):
        assert field in bib
    back = bibconv.dumps(bibconv.loads(bib, "bibtex"), "ris", diagnostics=found)
    for line in ("ET  - 2nd", "T3  - Lecture Notes", "Y2  - 2021/03/04/"):
        assert line in back
    assert bibconv.dumps(papers, "ris", diagnostics=found).count("Y2  - 2021/03/04/") == 1
    assert found == []


def test_a_year_that_is_no_number_reaches_csl_as_written() -> None:
    """'2020a' and 'in press' were dropped on the way to CSL-JSON; CSL's raw date holds
    them, and BibTeX gets them back as the year."""
    for year in ("2020a", "in press"):
        found: list[Diagnostic] = []
        papers = bibconv.loads(f"@article{{k, title={{T}}, author={{Li, Bo}}, journal={{J}}, "
                               f"year={{{year}}}}}", "bibtex", diagnostics=found)
        item = json.loads(bibconv.dumps(papers, "csl-json", diagnostics=found))[0]
        assert item["issued"] == {"raw": year}
        assert f"year = {{{year}}}" in bibconv.dumps(papers, "bibtex", diagnostics=found)
        assert [d.code for d in found] == ["bad-date"]  # the reader's, once

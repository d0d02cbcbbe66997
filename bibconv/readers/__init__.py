"""Built-in readers. Each module holds one reader class, registered by entry point."""

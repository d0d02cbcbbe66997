"""Built-in writers. Each module holds one writer class, registered by entry point."""

"""Rendering: terminal tables, CSV, JSON, Markdown, HTML, Excel and draft narrative text. Returns text; never prints."""

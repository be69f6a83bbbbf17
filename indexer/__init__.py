"""corpus: a searchable full-text corpus of Arabic news articles."""

"""The station's document archive (档案管理): rule books, manuals, contracts,
scanned minutes and photos, with categories, year and retention, a searchable
index, and links as evidence to self-evaluation items."""

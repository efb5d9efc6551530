"""The district's own lists, edited in pages: service domains (the N of
4+N), category → domain mapping, volunteer skills, need types, resident
categories, local tags and the KPI catalogue, each with its history; a value
in use is retired, never deleted. Also the assessment-instrument editor."""

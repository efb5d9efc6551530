"""Custom fields a district defines on residents, visits and cases: their
definitions here, their values in each record's `custom` JSON field."""

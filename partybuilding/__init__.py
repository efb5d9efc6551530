"""党建引领: Party organisations, co-building agreements and the Party-led
work counted on the dashboard and in reports."""

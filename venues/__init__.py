"""场所管理: a venue's rooms, their bookings and the weekly schedules of the
resident groups the station incubates."""

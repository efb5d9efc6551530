"""The public portal (门户) for volunteers, donors and residents: phone and
one-time-code sign-in, its own short sessions, and the pages each party uses.
Portal users are not staff: they have no User, no unit in the tree and reach
no staff page or API; what they submit waits in a station's staff queue."""

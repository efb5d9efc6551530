"""Field work offline: the installable app shell, what a worker's phone keeps
for the day's visits, and the queue of visits recorded without a connection."""

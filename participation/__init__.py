"""What volunteers and donors do themselves through the portal: register,
sign up, report hours, ask for corrections, claim and deliver micro-wishes.
Each lands as a pending item that station staff accept into the registries."""

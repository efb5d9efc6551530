"""项目化: service projects (a station's brand project among them), their
budget, spending and the resources raised for them."""

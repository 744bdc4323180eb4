"""The default site theme: Jinja templates, shipped inside the package as generator.theme."""

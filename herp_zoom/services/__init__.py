"""Policy of herp_zoom as plain Python: values in, values out, no database."""

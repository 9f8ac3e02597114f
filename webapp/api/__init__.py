"""The JSON API at /api/v1: its routes (views.py) and the OpenAPI document that describes them."""

"""The guide format: its types, actions and model, reading and checking guide
files, the schema and the reference."""

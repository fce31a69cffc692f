"""A fictional lower school for demonstrations and tests, written as a school bundle folder."""

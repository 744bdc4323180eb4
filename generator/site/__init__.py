"""The static site: views for an audience, pages, exports, writing."""

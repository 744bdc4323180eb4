"""Reading the content: files, frontmatter, validation, links, the model."""

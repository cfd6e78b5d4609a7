"""Importing and exporting the knowledge base in bulk, with translations.

Two formats carry the same records:

- A folder of Markdown files, one per article and language. Each starts with front matter
  between `---` lines (`key: value`, and lists as `- item` lines under their key), followed by
  the sections `## Public answer`, `## Internal notes` and `## Call script`. An article's file
  names its `slug`, `title`, `agency` code, `topic`, `language`, `service_types`, `related`
  articles and `last_reviewed` date (YYYY-MM-DD); a translation's file names its `source` slug,
  its `language` and its `title`.
- One JSON file: `{"articles": [{...the same keys, "body", "internal_notes", "call_script",
  "translations": [{"language", "title", "body", "internal_notes", "call_script"}]}]}`.

`records` holds what both formats carry; `markdown_read`, `json_read`, `markdown_write` and
`json_write` turn files into records and back; `importing` writes records to the database and
`exporting` reads them from it.

Import writes through the workflow services as the import user (a member of the content team):
a new article is created and its first revision published; a changed text becomes a new
revision, published; unchanged text writes nothing. Every file is imported in its own
transaction, so a bad file is reported and the rest still load.
"""

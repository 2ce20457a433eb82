"""The site: rendering the pages, their pictures, search, practice and videos,
the preview and the build."""

"""The installable app: manifest, service worker, static revisions and the offline package."""

"""HTTP: the app factory, auth, and one package per API dialect."""

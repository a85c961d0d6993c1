"""Evidence export (issue 13): the package's masters and working copies, its documents, its
signature and timestamp, and the verification anyone can redo with free tools."""

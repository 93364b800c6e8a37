"""What every app uses and no app owns: form helpers, API base classes, spreadsheet reading,
number and money formatting. No models; it imports from no app of the project."""

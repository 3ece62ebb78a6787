"""Small reusable widgets of the « Décrire » and « Licence » pages: keyword list editor, searchable
checkable code list (themes, categories, territory), field rows with help and inline problems, and the
base class of pages that edit one layer at a time."""

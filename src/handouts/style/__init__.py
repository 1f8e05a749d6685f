"""The look and the words as data: theme, paper, card sizes, labels, fonts."""

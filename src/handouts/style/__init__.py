"""Stage 2: the look and the words as data: theme, paper, card sizes, labels, fonts."""

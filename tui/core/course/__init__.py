"""Loading the course: lesson modules and packs, answers' forms, scaffolds, reloads."""

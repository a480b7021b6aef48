/**
 * Share of a film that must be played for it to count, 0–1. In a file of its own
 * so the film player can use it without loading the progress rules.
 */
export const filmCompletionThreshold = 0.9;

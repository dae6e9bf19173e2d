"""discourse: rebuild, score and compare the comment sections under news articles."""

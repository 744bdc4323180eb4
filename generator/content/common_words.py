"""Common English words and the generic words of company names.

A lone word of a longer name ("Globex" of "Globex Corporation", "Maya" of "Maya Chen")
is looked for in public text only when it is not one of these: "First" of "First
National Bank" or "Will" of "Will Ortiz" would flag ordinary sentences. A one-word
name that is one of these ("Target", "Apple") is looked for only as written, with
its capital.
"""

from __future__ import annotations

COMMON_WORDS = frozenset(
  (
      "a", "about", "above", "account", "admin", "after", "again", "against", "air", "all",
      "also", "am", "american", "an", "and", "any", "apple", "are", "around", "as", "at", "back",
      "bank", "be", "because", "been", "before", "being", "below", "best", "between", "big",
      "black", "block", "blue", "both", "box", "bridge", "bright", "but", "by", "call", "can",
      "capital", "care", "central", "chase", "city", "clear", "co", "come", "company",
      "consulting", "core", "corp", "corporation", "could", "customer", "data", "day", "delta",
      "did", "digital", "direct", "director", "do", "does", "down", "during", "each", "east",
      "edge", "energy", "engineering", "even", "every", "fair", "far", "few", "finance",
      "financial", "first", "for", "free", "fresh", "from", "full", "gap", "general", "get",
      "global", "go", "gold", "good", "great", "green", "group", "had", "has", "have", "he",
      "head", "health", "her", "here", "him", "his", "holdings", "home", "how", "hr", "i", "if",
      "in", "inc", "industries", "into", "is", "it", "its", "june", "just", "key", "kind", "labs",
      "last", "lead", "legal", "let", "life", "light", "like", "limited", "line", "little",
      "live", "llc", "long", "ltd", "made", "main", "make", "manager", "many", "march", "mark",
      "marketing", "may", "me", "media", "medical", "meta", "metro", "might", "more", "most",
      "motors", "much", "must", "my", "national", "network", "networks", "never", "new", "next",
      "nice", "no", "north", "not", "notion", "now", "of", "off", "office", "on", "once", "one",
      "only", "open", "ops", "or", "other", "our", "out", "over", "own", "pacific", "page",
      "park", "partners", "peak", "people", "plus", "point", "power", "president", "prime",
      "product", "public", "rapid", "real", "red", "right", "river", "royal", "said", "sales",
      "same", "say", "security", "see", "services", "she", "shell", "should", "silver", "simple",
      "slack", "smart", "snap", "so", "software", "solutions", "some", "south", "sprint",
      "square", "star", "state", "still", "stripe", "studio", "success", "such", "summer",
      "summit", "sun", "support", "systems", "take", "target", "team", "tech", "technologies",
      "technology", "than", "that", "the", "their", "them", "then", "there", "these", "they",
      "this", "those", "three", "through", "time", "to", "today", "too", "top", "total", "true",
      "two", "under", "united", "up", "us", "very", "vice", "visa", "was", "way", "we", "well",
      "were", "west", "what", "when", "where", "which", "while", "white", "who", "why", "will",
      "win", "with", "word", "work", "would", "yes", "you", "your", "zoom",
  )
)  # fmt: skip

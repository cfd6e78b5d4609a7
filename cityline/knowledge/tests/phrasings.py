"""What residents type, and the article (or service type) that should come first.

Shared by the relevance test and `bench/knowledge_search.py`, so the benchmark times the phrasings
whose answers the suite checks.
"""

RESIDENT_PHRASINGS: list[tuple[str, str]] = [
    ("pothole", "pothole"),
    ("potholes on my street", "pothole"),
    ("pothloe", "pothole"),
    ("potho", "pothole"),
    ("sinkhole", "pothole"),
    ("there is a cave-in", "pothole"),
    ("dead racoon on sidewalk", "dead-animal"),
    ("roadkill", "dead-animal"),
    ("my trash was not picked up", "missed-collection"),
    ("missed garbge", "missed-collection"),
    ("loud music next door", "noise-party"),
    ("remove a tree", "tree-removal"),
    ("tree removal", "tree-removal"),
    ("is alternate side parking in effect today", "alternate-side-parking"),
    ("altrenate side parkng", "alternate-side-parking"),
    ("throw out old mattress", "bulk-pickup"),
    ("couch", "bulk-pickup"),
    ("cave in on the road", "pothole"),
    ("sink hole", "pothole"),
    ("hole in the road", "pothole"),
    ("sinkhol", "pothole"),
    ("dead animal", "dead-animal"),
    ("dead cat in the street", "dead-animal"),
    ("raccoon", "dead-animal"),
    ("trash pickup", "missed-collection"),
    ("party noise", "noise-party"),
    ("loud neighbours", "noise-party"),
    ("noize", "noise-party"),
    ("tre removel", "tree-removal"),
    ("dead tree", "tree-removal"),
    ("alternate side", "alternate-side-parking"),
    ("street cleaning", "alternate-side-parking"),
    ("is parking suspended on holidays", "alternate-side-parking"),
    ("old couch", "bulk-pickup"),
    ("mattress disposal", "bulk-pickup"),
]

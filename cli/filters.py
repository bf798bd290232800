"""The metadata filter flags: ``paperchat search`` filters with them, ``ask`` and ``chat`` scope the question."""

import argparse

from rag.text import month_number


def _month(text: str) -> int:
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    if month := month_number(text):
        return month
    raise argparse.ArgumentTypeError(f"not a month: {text!r} (1-12 or a name such as Oct)")


def filter_options(p, title: str):
    """The metadata filter flags (``search``; ``ask`` and ``chat`` take them as the scope of the question)."""
    filters = p.add_argument_group(title)
    filters.add_argument("--org", help="organisation, e.g. Kyutai (any case; 'Google' finds 'Google DeepMind')")
    filters.add_argument("--author", help="an author's name (contained in the author list)")
    filters.add_argument("--category", help="arXiv category, e.g. cs.CL")
    filters.add_argument("--venue", help="where it was published, e.g. ACL")
    filters.add_argument("--month", type=_month, help="month of the paper's date: 1-12 or a name (Oct, October)")
    filters.add_argument("--year", type=int, help="year of the paper's date (dates without a year never match)")
    filters.add_argument("--after", type=int, metavar="YEAR", help="dated after this year")
    filters.add_argument("--before", type=int, metavar="YEAR", help="dated before this year")
    filters.add_argument("--min-upvotes", type=int, metavar="N")
    return filters


def metadata_query(args):
    """The filter the flags of ``filter_options`` (and ``--sort``, where the command has it) describe."""
    from rag.retrieve.metadata import PaperFilter

    dates = [{"relation": relation, "year": year} for relation, year in
             (("in", args.year), ("after", args.after), ("before", args.before)) if year]
    sort = getattr(args, "sort", None)
    return PaperFilter.of(organisation=args.org, author=args.author, category=args.category, venue=args.venue,
                          dates=dates + ([{"relation": "in", "month": args.month}] if args.month else []),  # all hold
                          upvotes={"relation": "at least", "value": args.min_upvotes} if args.min_upvotes is not None else None,
                          sort={"date": "newest", "upvotes": "most upvoted", "authors": "most authors"}.get(sort))

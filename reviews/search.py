"""The knowledge base's search: lessons and reviews of archived campaigns, by keyword in
Chinese or English, with filters, ranked by relevance, the matching words given for
highlighting.

The query is cut into words the way the texts were (jieba, reviews.segmenting), so 直播 finds
a lesson about 抖音直播带货. On PostgreSQL a row matches when its segmented text's tsvector
(the 'simple' configuration: no stemming, which suits words already cut) holds every word of
the query, ranked by ts_rank; the vector is a stored column PostgreSQL generates from the
text, with a GIN index (migration 0002), so neither match nor rank re-segments a row. On
SQLite a row matches when its segmented text holds every word, newest first.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from plans.models import Channel

from .models import Lesson, Review, ReviewState
from .segmenting import words

LIMIT = 50


@dataclass
class Filters:
    campaign_type: str = ""
    channel: int | None = None
    metric: int | None = None
    tag: str = ""
    year: int | None = None


@dataclass
class Results:
    words: list[str] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)


def _tsquery(terms: list[str]) -> str:
    # Words are \w+ (segmenting.words), so quoting each is enough.
    return " & ".join(f"'{term}'" for term in terms)


def _matching(queryset: QuerySet, table: str, terms: list[str]) -> QuerySet:
    if connection.vendor == "postgresql":
        vector = f"{table}.search_vector"  # generated from search_text (migration 0002), GIN-indexed
        query = "to_tsquery('simple'::regconfig, %s)"
        tsquery = _tsquery(terms)
        # The SQL is the code's own (the table name is a model's); the query's words are a parameter.
        matches = RawSQL(f"{vector} @@ {query}", [tsquery], output_field=BooleanField())  # noqa: S611
        rank = RawSQL(f"ts_rank({vector}, {query})", [tsquery], output_field=FloatField())  # noqa: S611
        return queryset.filter(matches).annotate(rank=rank)
    padded = queryset.annotate(padded_text=Concat(Value(" "), "search_text", Value(" "), output_field=TextField()))
    for term in terms:
        padded = padded.filter(padded_text__contains=f" {term} ")
    return padded.annotate(rank=Value(1.0, output_field=FloatField()))


def search_lessons(*, query: str, filters: Filters | None = None, limit: int = LIMIT) -> tuple[list[str], list[Lesson]]:
    """Lessons of archived reviews that hold every word of the query, best first."""
    filters = filters or Filters()
    terms = words(query)
    lessons = Lesson.objects.filter(review__state=ReviewState.ARCHIVED)
    if filters.campaign_type:
        lessons = lessons.filter(campaign_type=filters.campaign_type)
    if filters.channel:
        lessons = lessons.filter(channels=filters.channel)
    if filters.metric:
        lessons = lessons.filter(metrics=filters.metric)
    if filters.tag:
        lessons = lessons.filter(tags__icontains=filters.tag)
    if filters.year:
        lessons = lessons.filter(review__campaign__end_date__year=filters.year)
    if terms:
        lessons = _matching(lessons, Lesson._meta.db_table, terms).order_by("-rank", "-created_at", "pk")
    else:
        lessons = lessons.order_by("-created_at", "pk")
    found = list(lessons.select_related("review__campaign").prefetch_related("channels", "metrics").distinct()[:limit])
    return terms, found


def search_reviews(*, query: str, filters: Filters | None = None, limit: int = LIMIT) -> list[Review]:
    """Archived reviews whose campaign, report or follow-up actions hold every word of the query."""
    filters = filters or Filters()
    terms = words(query)
    reviews = Review.objects.archived()
    if filters.campaign_type:
        reviews = reviews.filter(campaign__type=filters.campaign_type)
    if filters.year:
        reviews = reviews.filter(campaign__end_date__year=filters.year)
    if not terms:
        return list(reviews.select_related("campaign").order_by("-campaign__end_date", "pk")[:limit])
    ranked = _matching(reviews, Review._meta.db_table, terms).order_by("-rank", "-campaign__end_date", "pk")
    return list(ranked.select_related("campaign")[:limit])


def search(*, query: str, filters: Filters | None = None, limit: int = LIMIT) -> Results:
    terms, lessons = search_lessons(query=query, filters=filters, limit=limit)
    return Results(words=terms, lessons=lessons, reviews=search_reviews(query=query, filters=filters, limit=limit))


def highlight(text: str, terms: list[str]) -> SafeString:
    """The text, escaped, with every occurrence of the words marked (<mark>)."""
    safe = str(escape(text))
    if not terms:
        return mark_safe(safe)  # noqa: S308 - escaped just above
    pattern = re.compile("|".join(re.escape(str(escape(term))) for term in sorted(terms, key=len, reverse=True)), re.I)
    return mark_safe(pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", safe))  # noqa: S308 - escaped text


def lessons_for_planner(*, campaign_type: str, name: str = "", channels: list[int] | None = None, limit: int = 5):
    """The lessons of past (archived) campaigns of the same type (and channels, when given) for
    a planner's form: those sharing a word with the new campaign's name (618, 双11) first."""
    lessons = Lesson.objects.filter(review__state=ReviewState.ARCHIVED, campaign_type=campaign_type)
    if channels:  # those about one of these channels, and those about no channel in particular
        lessons = lessons.filter(Q(channels__in=channels) | Q(channels__isnull=True))
    lessons = list(lessons.select_related("review__campaign").order_by("-created_at", "pk").distinct()[:50])
    name_words = set(words(name))

    def shared(lesson: Lesson) -> int:
        return len(name_words & set(words(lesson.review.campaign.name)) | name_words & set(lesson.search_text.split()))

    lessons.sort(key=lambda lesson: -shared(lesson))
    return lessons[:limit]


def lessons_for_campaign(*, campaign, limit: int = 5) -> list[Lesson]:
    """The lessons of past campaigns of a campaign's type and channels (its goals' channels with
    their parent and sub-channels: a goal on online meets a lesson on short video; those sharing
    a word with its name first), for the panel beside its new task form and its weekly review;
    the campaign's own lessons are left out. Two queries."""
    on_goals = Q(targets__campaign=campaign) | Q(children__targets__campaign=campaign)
    channels = list(
        Channel.objects.filter(on_goals | Q(parent__targets__campaign=campaign))
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )
    lessons = lessons_for_planner(campaign_type=campaign.type, name=campaign.name, channels=channels, limit=limit + 5)
    return [lesson for lesson in lessons if lesson.review.campaign_id != campaign.pk][:limit]

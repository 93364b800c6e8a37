"""How fast the knowledge base's search is: 10,000 lessons of 1,000 archived reviews.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_knowledge .venv/bin/python bench/knowledge_search.py

Creates the database if it is missing and migrates it, then (once: later runs reuse them)
1,000 archived reviews of campaigns of the four types, each with ten lessons written from a
pool of Chinese and English phrases (segmented by jieba as the service does, inserted in
bulk). It then times, for a set of queries (one Chinese word, two words, an English word, a
rare word, a word with a type filter), over --runs runs each:

- search: `reviews.search.search_lessons` (segmenting, the tsvector match through the GIN
  index, ts_rank ordering, the first 50 lessons with their review, campaign, channels and
  metrics) — what the knowledge base page runs for its lessons;
- floor: the bare full-text query, one SQL statement `SELECT id … WHERE search_vector @@
  to_tsquery(…) LIMIT 50` with the query already segmented (no ranking, no joins).

It prints the p50 and p95 of each, the ratio search / floor, and the load average. Goal: the
search's p95 under 100 ms.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from common import ensure_database  # bench/common.py (scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
REVIEWS = 1000
LESSONS_PER_REVIEW = 10
NAME = "Bench knowledge"
PHRASES = [
    "抖音直播带货引流效果好，新增会员转化高",
    "直播推广费用临时追加导致成本超支",
    "线下门店缺货流失订单，需提前盘点库存",
    "KOL视频与信息流广告叠加传播，曝光超目标",
    "小红书种草笔记带动搜索量上升",
    "私域社群复购率提升，优惠券核销率高",
    "双11预售定金膨胀玩法拉新明显",
    "618大促满减力度过大，利润率下降",
    "经销商培训不足导致新品铺货缓慢",
    "展会获客成本高于线上渠道",
    "The brief was late so KOL videos went live two days late",
    "Search ads converted better than feed ads for the launch",
    "Stock ran out in stores in the second week of the promotion",
    "Live streaming brought young members at a low acquisition cost",
]
QUERIES = [("直播", ""), ("直播 带货", ""), ("KOL", ""), ("核销率", ""), ("库存", "promotion"), ("late", "")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed searches per query (default 30)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/tracker_bench_knowledge"
        )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "false")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    _ensure_data()

    from reviews.search import Filters, _tsquery, search_lessons
    from reviews.segmenting import words

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reviews_lesson")
        lessons = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"knowledge_search: {lessons:,} lessons, {REVIEWS:,} reviews, {args.runs} runs per query, {version}, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    all_search, all_floor = [], []
    for query, campaign_type in QUERIES:
        terms = words(query)
        floor_sql = "SELECT id FROM reviews_lesson WHERE search_vector @@ to_tsquery('simple'::regconfig, %s) LIMIT 50"
        search_times, floor_times = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(floor_sql, [_tsquery(terms)])
                cursor.fetchall()
            floor_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            _terms, found = search_lessons(query=query, filters=Filters(campaign_type=campaign_type))
            search_times.append(time.perf_counter() - start)
        all_search += search_times
        all_floor += floor_times
        print(
            f"  {query + (' [' + campaign_type + ']' if campaign_type else ''):<22} {len(found):>3} found   "
            f"search p50 {_ms(statistics.median(search_times))} p95 {_ms(_p95(search_times))}   "
            f"floor p50 {_ms(statistics.median(floor_times))} p95 {_ms(_p95(floor_times))}   "
            f"{statistics.median(search_times) / statistics.median(floor_times):.1f}x floor"
        )
    print(
        f"  all queries: search p95 {_ms(_p95(all_search))}, floor p95 {_ms(_p95(all_floor))}, "
        f"{_p95(all_search) / _p95(all_floor):.1f}x floor, load {os.getloadavg()[0]:.1f}"
    )


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _ms(value: float) -> str:
    return f"{value * 1000:7.1f} ms"


def _ensure_data() -> None:
    from datetime import date, timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from plans.models import AnnualPlan, Campaign, CampaignType, Channel, Metric
    from reviews.models import Lesson, LessonKind, Review, ReviewState
    from reviews.segmenting import segmented

    if AnnualPlan.objects.filter(title=NAME).exists():
        return
    random.seed(13)
    with transaction.atomic():
        owner, _ = User.objects.get_or_create(username="bench-knowledge")
        plan = AnnualPlan.objects.create(year=2025, title=NAME, owner=owner)
        types = list(CampaignType.values)
        campaigns = Campaign.objects.bulk_create(
            Campaign(
                plan=plan,
                name=f"{random.choice(['618', '双11', '新品', '品牌'])} 活动 {n}",
                type=types[n % len(types)],
                owner=owner,
                start_date=date(2025, 1, 1) + timedelta(days=n % 300),
                end_date=date(2025, 1, 31) + timedelta(days=n % 300),
                budget=Decimal(100000),
                status="archived",
            )
            for n in range(REVIEWS)
        )
        now = timezone.now()
        reviews = Review.objects.bulk_create(
            Review(
                campaign=campaign,
                state=ReviewState.ARCHIVED,
                due_date=campaign.end_date + timedelta(days=5),
                overview=random.choice(PHRASES),
                search_text=segmented(campaign.name, random.choice(PHRASES)),
                archived_at=now,
            )
            for campaign in campaigns
        )
        channels, metrics = list(Channel.objects.all()), list(Metric.objects.all())
        lessons = []
        for review, campaign in zip(reviews, campaigns, strict=True):
            for _ in range(LESSONS_PER_REVIEW):
                text = "；".join(random.sample(PHRASES, 2))
                tags = ",".join(random.sample(["直播", "库存", "KOL", "预算", "私域", "搜索"], 2))
                lessons.append(
                    Lesson(
                        review=review,
                        kind=random.choice(LessonKind.values),
                        text=text,
                        tags=tags,
                        campaign_type=campaign.type,
                        search_text=segmented(text, tags.replace(",", " ")),
                    )
                )
        lessons = Lesson.objects.bulk_create(lessons, batch_size=2000)
        through = Lesson.channels.through
        through.objects.bulk_create(
            [through(lesson_id=lesson.pk, channel_id=random.choice(channels).pk) for lesson in lessons], batch_size=5000
        )
        through = Lesson.metrics.through
        through.objects.bulk_create(
            [through(lesson_id=lesson.pk, metric_id=random.choice(metrics).pk) for lesson in lessons], batch_size=5000
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reviews_lesson")
        cursor.execute("ANALYZE reviews_review")


if __name__ == "__main__":
    main()

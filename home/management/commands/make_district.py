from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.demo import DEMO_PASSWORD
from home.synthetic import Size, district_make
from orgs.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Make a large synthetic district to try or measure Linli, e.g. --residents 100000: stations, "
        "communities, staff, residents (pinyin, encrypted IDs) graded with the active rules, a year of "
        "visits, volunteers, service hours and needs. The same --seed gives the same district."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, required=True)
        parser.add_argument("--stations", type=int, default=8)
        parser.add_argument("--communities", type=int, default=10, help="per station")
        parser.add_argument("--volunteers", type=int, help="default: one per ten residents")
        parser.add_argument("--visits", type=float, default=4.0, help="per graded resident over the past year")
        parser.add_argument("--service-records", type=int, help="default: ten per resident")
        parser.add_argument("--needs", type=int, help="default: one per ten residents")
        parser.add_argument("--code", default="350599000000", help="12-digit division code ending in 000000")
        parser.add_argument("--name", default="合成区")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(_("A synthetic district is for trying and measuring: it never runs in production."))
        code = options["code"]
        if len(code) != 12 or not code.isdigit() or not code.endswith("000000"):
            raise CommandError(_("The division code has 12 digits and ends in 000000."))
        if OrgUnit.objects.filter(code=code).exists():
            raise CommandError(_("Another unit already has the division code %(code)s.") % {"code": code})
        if options["residents"] < 1 or options["stations"] < 1 or options["communities"] < 1:
            raise CommandError(_("Residents, stations and communities must each be at least 1."))
        size = Size(
            residents=options["residents"],
            stations=options["stations"],
            communities=options["communities"],
            volunteers=options["volunteers"],
            visits=options["visits"],
            service_records=options["service_records"],
            needs=options["needs"],
        )
        made = district_make(
            size=size, code=code, name=options["name"], seed=options["seed"], progress=self.stdout.write
        )
        self.stdout.write(
            _("Logins (password: %(pw)s), the first of %(n)d:") % {"pw": DEMO_PASSWORD, "n": len(made.logins)}
        )
        for role, username, unit in made.logins[:3]:
            self.stdout.write(f"  {role}  {username}  {unit}")
        self.stdout.write(
            self.style.SUCCESS(
                _("District %(name)s made in %(s).1f s.")
                % {"name": made.district.name, "s": sum(made.seconds.values())}
            )
        )

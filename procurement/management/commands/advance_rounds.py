from django.core.management.base import BaseCommand

from procurement.services import advance_due_rounds


class Command(BaseCommand):
    help = "Move rounds along their timetable (demand → bidding → bids closed). Safe to run at any time, repeatedly."

    def handle(self, *args, **options):
        moved = advance_due_rounds()
        self.stdout.write(f"{moved} round(s) moved.")

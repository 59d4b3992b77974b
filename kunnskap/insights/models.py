from django.db import models


class StatisticsGeneration(models.Model):
    """A number that grows with every change the statistics count (one row); the computed
    tables are kept under it (`kunnskap.insights.cache`)."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)

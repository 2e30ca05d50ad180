from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    """`outsourcing benchmark`: a layer above the apps (it generates every app's records), so that `core`
    stays free of them; see the import contracts in pyproject.toml."""

    name = "outsourcing.benchmark"
    label = "benchmark"
    verbose_name = "Benchmark"

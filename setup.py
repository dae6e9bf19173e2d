"""The C kernels: optional, built when a C compiler is present; discourse runs the same Python code without
them and gives the same results (``docs/performance.md``)."""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class BuildExt(build_ext):
    def build_extensions(self) -> None:
        if self.compiler.compiler_type == "unix":
            # Scores must equal Python's float arithmetic: no fused multiply-add (the default on arm64).
            for ext in self.extensions:
                ext.extra_compile_args += ["-ffp-contract=off", "-fno-fast-math"]
        super().build_extensions()


setup(
    ext_modules=[
        Extension("discourse.sentiment._vader", ["discourse/sentiment/_vader.c"], optional=True),
        Extension("discourse.scoring._scan", ["discourse/scoring/_scan.c"], optional=True),
        Extension("discourse.readers._asbarez", ["discourse/readers/_asbarez.c"], optional=True),
    ],
    cmdclass={"build_ext": BuildExt},
)

"""notebooks/: stored without outputs, each with one marked run cell, on the `python3` kernel that
Debian's python3-ipykernel installs (which must run /usr/bin/python3 with the packages the notebooks
import); and each runs top to bottom in under two minutes (./test.sh runs them once more with
nbconvert, as a user would)."""

import os
import subprocess
import sys
import time

import nbformat
import pytest

from test_cli import ROOT, executable

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
RUN_CELL_MARK = "RUN CELL"
TIME_LIMIT_S = 120


def test_there_are_notebooks_for_analysts_researchers_and_report_builders():
    assert {path.stem for path in NOTEBOOKS} >= {"quickstart", "researcher-sweep", "report-builder"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_is_stored_without_outputs_and_has_one_run_cell(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code), "strip the outputs"
    assert sum(RUN_CELL_MARK in cell.source for cell in code) == 1
    assert notebook.metadata.kernelspec.name == "python3"
    # The one documented line that finds the package, relative to notebooks/.
    assert 'sys.path.insert(0, "../analysis")' in code[0].source


def test_the_python3_kernel_runs_debians_interpreter_with_the_packages():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    interpreter = spec.argv[0]
    finished = subprocess.run(
        [interpreter, "-c", "import ipykernel, matplotlib, h5py, xarray, h5netcdf, pandas, yaml"],
        capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, (f"the python3 kernel runs {interpreter}, which lacks a package the notebooks "
                                      f"need; run ./test.sh's set-up\n{finished.stderr}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_top_to_bottom_in_under_two_minutes(path, tmp_path):
    exe = executable()  # fails with a message when the executable is missing
    started = time.monotonic()
    finished = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(tmp_path),
         f"--ExecutePreprocessor.timeout={TIME_LIMIT_S}", str(path)],
        cwd=ROOT, env={**os.environ, "SELLERSHOCK_EXE": exe}, capture_output=True, text=True, timeout=2 * TIME_LIMIT_S)
    elapsed = time.monotonic() - started
    assert finished.returncode == 0, finished.stderr[-4000:]
    assert elapsed < TIME_LIMIT_S, f"{path.name} took {elapsed:.0f} s"
    executed = nbformat.read(tmp_path / path.name, as_version=4)
    outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    # Figures were drawn as images, not printed as "<Figure ...>".
    assert any("image/png" in output.get("data", {}) for output in outputs)

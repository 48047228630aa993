"""The command line without servers: its command tree and help, exit codes for usage errors and
for the failures a user meets, and how produce reads its input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import orjson
import pytest
from click.testing import CliRunner

from streams.cli import cli
from streams.kafka_tools import bootstrap_servers

#: Every command of the README and docs/operations.md.
COMMANDS = (
    "worker",
    "demo",
    "enrich",
    "produce",
    "tail",
    "replay",
    "story",
    "settings",
    "topics",
    "eval",
    "eval-dedup",
    "bench",
)


def run(*args: str, **env: str) -> click.testing.Result:
    env = {"NEWSWIRE_BROKER_URL": "kafka://127.0.0.1:1", **env}
    return CliRunner().invoke(cli, list(args), env=env, prog_name="newswire")


def test_every_documented_command_is_in_the_one_command_tree() -> None:
    listed = run("--help").output
    for command in COMMANDS:
        assert f"  {command} " in listed, command
        assert run(command, "--help").exit_code == 0, command


def test_every_option_and_argument_of_every_command_is_explained() -> None:
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None and command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts}"
            else:  # an argument: its command's help says what it is, by its name in the usage line
                shown = (param.metavar or param.name or "").strip("[].").upper()
                assert shown in command.help, f"{name} {shown}"


def test_a_usage_error_exits_2_and_names_the_option() -> None:
    result = run("tail", "--max", "many")
    assert result.exit_code == 2
    assert "--max" in result.output


def test_a_missing_input_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    missing = tmp_path / "absent.jsonl"
    for command in ("produce", "enrich"):
        result = run(command, str(missing))
        assert result.exit_code == 1, command
        assert result.output == f"newswire {command}: cannot read {missing}: No such file or directory\n"


def test_a_bad_setting_is_one_line_and_exit_1() -> None:
    result = run("settings", NEWSWIRE_NLP_PROCESSES="-3")
    assert result.exit_code == 1
    assert result.output.startswith("newswire settings: invalid setting NEWSWIRE_NLP_PROCESSES:")
    assert "Traceback" not in result.output


def test_settings_print_as_json_with_secrets_masked() -> None:
    result = run("settings", NEWSWIRE_REDIS_PASSWORD="hunter2")
    assert result.exit_code == 0
    printed = orjson.loads(result.output)
    assert printed["redis_password"] == "**********"
    assert "hunter2" not in result.output


def test_produce_with_nothing_to_send_says_so_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    result = run("produce", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == f"newswire produce: nothing to send in {tmp_path}; 1 file skipped\n"


@pytest.mark.parametrize(
    ("url", "servers"),
    [("kafka://a:9092;b:9093", ["a:9092", "b:9093"]), ("kafka://user:pw@a:9092", ["a:9092"])],
)
def test_bootstrap_servers_accepts_faust_style_urls(url: str, servers: list[str]) -> None:
    assert bootstrap_servers(url) == servers


def test_the_cli_module_imports_no_client_library_as_every_nlp_process_imports_it_again() -> None:
    # multiprocessing's spawn re-imports the worker's main module in each NLP process; a client
    # library imported there costs memory in all of them (~16 MB for kafka-python and redis).
    code = "import sys, streams.cli; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for heavy in ("kafka", "redis", "faust", "aiokafka", "spacy", "rensa", "selectolax", "trafilatura"):
        assert f"'{heavy}'" not in loaded

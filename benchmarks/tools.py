"""The commands that produce the many-bindings documents, shared by check_peers.py and run.py.

Each tool maps an output format to the command for N functions with M streams each. The formats:
`cfn-json` is the CloudFormation template as JSON, `yaml` the serverless.yml document as YAML and
`json` the same document as JSON (Node has no YAML writer without npm packages).
"""

import pathlib

BENCHMARKS = pathlib.Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
PEERS = BENCHMARKS / "peers"
VENV_PYTHON = BENCHMARKS / ".venv" / "bin" / "python"
SLSX = ROOT / ".build" / "release" / "slsx"
WORKLOAD = BENCHMARKS / "many-bindings.slsx"


def slsx(output_format):
    # The framework's layout (one shared role, statements as the framework writes them) is what
    # the peers build; by default slsx changes the layout when the role passes IAM's size limit.
    return lambda n, m: [
        str(SLSX), "emit", str(WORKLOAD), "--set", f"n={n}", "--set", f"m={m}",
        "--format", output_format, "--no-stack-limits", "--roles", "shared", "--policies", "framework",
    ]


def python_script(script, *leading):
    return lambda output_format: lambda n, m: [
        str(VENV_PYTHON), str(PEERS / script), *leading, str(n), str(m), output_format,
    ]


python_peer = python_script("many_bindings.py")
starlark_peer = python_script("run_starlark.py")
jsonnet_cpp_peer = python_script("run_jsonnet.py", "cpp")
jsonnet_go_peer = python_script("run_jsonnet.py", "go")

# Tool name → {format: command(n, m)}. Peers write the formats their language can write alone.
TOOLS = {
    "slsx": {"cfn-json": slsx("cfn-json"), "yaml": slsx("yaml"), "json": slsx("json")},
    "node": {
        "cfn-json": lambda n, m: ["node", str(PEERS / "many_bindings.js"), str(n), str(m), "cfn-json"],
        "json": lambda n, m: ["node", str(PEERS / "many_bindings.js"), str(n), str(m), "json"],
    },
    "python": {"cfn-json": python_peer("cfn-json"), "yaml": python_peer("yaml")},
    "starlark": {"cfn-json": starlark_peer("cfn-json"), "yaml": starlark_peer("yaml")},
    "jsonnet-go": {"cfn-json": jsonnet_go_peer("cfn-json"), "yaml": jsonnet_go_peer("yaml")},
    "jsonnet-cpp": {"cfn-json": jsonnet_cpp_peer("cfn-json"), "yaml": jsonnet_cpp_peer("yaml")},
}

# Tools whose objects keep insertion order, so their key order must match slsx's too. Jsonnet
# sorts object fields by name when it writes them.
ORDERED_TOOLS = {"slsx", "node", "python", "starlark"}

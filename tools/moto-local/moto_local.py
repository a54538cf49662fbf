"""moto_server with one fix the AWS seed estates need to be idempotent; same arguments as moto_server.

moto (5.2.x) copies the request-level tag specification of CreateLaunchTemplate (resource type
`launch-template`, the template's own tags) into the template's data, so DescribeLaunchTemplateVersions
reports a `tag_specifications` block the configuration never had and every plan of a tagged launch
template shows a change. AWS accepts no `launch-template` entry in launch template data (only instance,
volume, network-interface, spot-instances-request, ...), so dropping it there is exact.

    python3 tools/moto-local/moto_local.py -H 127.0.0.1 -p 4566
"""
import sys

from moto.ec2.models.launch_templates import LaunchTemplateBackend
from moto.server import main

_create_launch_template = LaunchTemplateBackend.create_launch_template


def create_launch_template(self, name, description, template_data, tag_spec):
    specs = template_data.get("TagSpecifications")
    if specs:
        template_data["TagSpecifications"] = [s for s in specs if s.get("ResourceType") != "launch-template"]
        if not template_data["TagSpecifications"]:
            del template_data["TagSpecifications"]
    return _create_launch_template(self, name, description, template_data, tag_spec)


LaunchTemplateBackend.create_launch_template = create_launch_template

if __name__ == "__main__":
    main(sys.argv[1:])

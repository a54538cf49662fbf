"""EC2 CreateLaunchTemplate: the request's own `launch-template` tags stay out of the template data.

moto copies the request-level tag specification of CreateLaunchTemplate (resource type
`launch-template`, the template's own tags) into the template's data, so DescribeLaunchTemplateVersions
reports a `tag_specifications` block the configuration never had and every plan of a tagged launch
template shows a change. AWS accepts no `launch-template` entry in launch template data (only instance,
volume, network-interface, spot-instances-request, ...), so dropping it there is exact.
"""
from moto.ec2.models.launch_templates import LaunchTemplateBackend

from .patching import attach, require

_original = LaunchTemplateBackend.create_launch_template


def create_launch_template(self, name, description, template_data, tag_spec):  # type: ignore[no-untyped-def]
    specs = template_data.get("TagSpecifications")
    if specs:
        template_data["TagSpecifications"] = [s for s in specs if s.get("ResourceType") != "launch-template"]
        if not template_data["TagSpecifications"]:
            del template_data["TagSpecifications"]
    return _original(self, name, description, template_data, tag_spec)


def install() -> None:
    require(LaunchTemplateBackend, "create_launch_template")
    attach(LaunchTemplateBackend, "create_launch_template", create_launch_template)

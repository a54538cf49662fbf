"""EC2 launch templates: the template's own tags stay out of its data (boto3, moto_local)."""
import unittest

from .server import api


class LaunchTemplateTests(unittest.TestCase):
    def test_launch_template_tags_are_not_echoed_into_the_template_data(self) -> None:
        ec2 = api().client("ec2")
        created = ec2.create_launch_template(
            LaunchTemplateName="tagged",
            LaunchTemplateData={"InstanceType": "t3.small", "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "i"}]}]},
            TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Owner", "Value": "plat"}]}])["LaunchTemplate"]
        self.assertEqual(created["Tags"], [{"Key": "Owner", "Value": "plat"}])
        data = ec2.describe_launch_template_versions(LaunchTemplateId=created["LaunchTemplateId"])["LaunchTemplateVersions"][0]["LaunchTemplateData"]
        self.assertEqual([s["ResourceType"] for s in data["TagSpecifications"]], ["instance"])


if __name__ == "__main__":
    unittest.main()

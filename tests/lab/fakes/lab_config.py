"""lab_config: prints a cluster.yaml for the running lab (the `lab config`
command): node 1 is the control plane k8s-master, the others k8s-nodeN."""

import sys

PROFILES = {
    "classic": {
        "version": "1.20.9",
        "imageRepository": "registry.cn-hangzhou.aliyuncs.com/google_containers",
        "packageMirror": "https://mirrors.aliyun.com",
        "podSubnet": "192.168.0.0/16",
        "serviceSubnet": "10.96.0.0/16",
        "dashboard": "v2.3.1",
    },
    "modern": {
        "version": "1.36.2",
        "imageRepository": "registry.aliyuncs.com/google_containers",
        "packageMirror": "https://mirrors.aliyun.com",
        "podSubnet": "192.168.0.0/16",
        "serviceSubnet": "10.96.0.0/16",
        "dashboard": "v2.7.0",
    },
}


def main():
    profile, nodes, net, port, lab, user = sys.argv[1:7]
    if profile not in PROFILES:
        sys.stderr.write("lab: unknown profile '%s' (classic or modern)\n" % profile)
        return 2
    p = PROFILES[profile]
    o = []
    o.append("# cluster.yaml for the kubewiz lab in %s (profile %s)" % (lab, profile))
    o.append("name: lab")
    o.append("kubernetes:")
    o.append('  version: "%s"' % p["version"])
    o.append("  controlPlaneEndpoint: cluster-endpoint")
    o.append("  podSubnet: %s" % p["podSubnet"])
    o.append("  serviceSubnet: %s" % p["serviceSubnet"])
    o.append("  network: calico")
    o.append("registry:")
    o.append("  imageRepository: %s" % p["imageRepository"])
    o.append("  mirrors: []")
    o.append("  packageMirror: %s" % p["packageMirror"])
    o.append("ssh:")
    o.append("  user: %s" % user)
    o.append("  port: %s" % port)
    o.append("  identityFile: %s/id_ed25519" % lab)
    o.append("  knownHosts: %s/known_hosts" % lab)
    o.append("nodes:")
    for i in range(1, int(nodes) + 1):
        name = "k8s-master" if i == 1 else "k8s-node%d" % (i - 1)
        role = "control-plane" if i == 1 else "worker"
        o.append("  - { name: %s, address: %s.%d, role: %s }" % (name, net, i, role))
    o.append("dashboard:")
    o.append("  kind: kubernetes-dashboard")
    o.append("  version: %s" % p["dashboard"])
    o.append("  tokenDuration: 24h")
    print("\n".join(o))
    return 0


if __name__ == "__main__":
    sys.exit(main())

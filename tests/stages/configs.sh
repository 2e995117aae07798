# shellcheck shell=sh
# tests/stages/configs.sh: sourced by the stage tests; writes the cluster
# configs they render into directory $1:
#   classic.yaml  the guide's layout: Kubernetes 1.20.9 (Docker, kubeadm
#                 flags), 1 control plane + 2 workers, Aliyun mirrors
#                 (CentOS 7 in the lab);
#   rocky9.yaml   modern 1.30.4 (kubeadm v1beta3), 3 control planes +
#                 2 workers, Headlamp (Rocky 9 in the lab);
#   ubuntu2204.yaml  modern 1.34.1 (v1beta4, pause 3.10.1), a single node,
#                 upstream registries (Ubuntu 22.04 in the lab).
# The OS family is detected on the node by lib.sh, so a profile renders the
# same script for every OS family; the layouts differ where scripts branch.

stage_test_configs() {
	cat >"$1/classic.yaml" <<'YAML'
name: classic
kubernetes:
  version: "1.20.9"
  controlPlaneEndpoint: cluster-endpoint
  podSubnet: 192.168.0.0/16
  serviceSubnet: 10.96.0.0/16
registry:
  imageRepository: registry.cn-hangzhou.aliyuncs.com/lfy_k8s_images
  mirrors: ["https://82m9ar63.mirror.aliyuncs.com"]
  packageMirror: https://mirrors.aliyun.com
nodes:
  - { name: k8s-master, address: 172.31.0.2, role: control-plane }
  - { name: k8s-node1, address: 172.31.0.3, role: worker }
  - { name: k8s-node2, address: 172.31.0.4, role: worker }
dashboard:
  kind: kubernetes-dashboard
  version: v2.3.1
YAML
	cat >"$1/rocky9.yaml" <<'YAML'
name: rocky9
kubernetes:
  version: "1.30.4"
  controlPlaneEndpoint: k8s-api.internal
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
registry:
  imageRepository: registry.aliyuncs.com/google_containers
  mirrors: ["https://mirror-a.example.com", "https://mirror-b.example.com"]
  packageMirror: https://mirrors.aliyun.com
nodes:
  - { name: cp1, address: 10.0.0.11, role: control-plane }
  - { name: cp2, address: 10.0.0.12, role: control-plane }
  - { name: cp3, address: 10.0.0.13, role: control-plane }
  - { name: w1, address: 10.0.0.21, role: worker }
  - { name: w2, address: 10.0.0.22, role: worker }
dashboard:
  kind: headlamp
  nodePort: 30080
YAML
	cat >"$1/ubuntu2204.yaml" <<'YAML'
name: ubuntu2204
kubernetes:
  version: "1.34.1"
nodes:
  - { name: solo, address: 10.1.0.5, role: control-plane }
dashboard:
  kind: kubernetes-dashboard
  tokenDuration: 8h
YAML
}

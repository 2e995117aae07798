"""fk_kubectl: kubectl against the lab's cluster directory. It needs a
kubeconfig whose server resolves on this node and whose CA is the cluster's;
objects are applied into the shared state; nodes, pods and rollouts are
computed from it: a node is Ready only when its kubelet is healthy and a
Calico whose pool CIDR equals the podSubnet is installed."""

import base64
import hashlib
import json
import os
import random
import re
import sys
import time

import labcommon as lc
import kstate
from labcommon import Exit, err, out

DEFAULT_POOL = "192.168.0.0/16"

# kind -> (resource plural, group for output, namespaced, short names)
KINDS = {
    "Namespace": ("namespaces", "", False, ["ns", "namespace"]),
    "Node": ("nodes", "", False, ["no", "node"]),
    "Pod": ("pods", "", True, ["po", "pod"]),
    "Service": ("services", "", True, ["svc", "service"]),
    "ServiceAccount": ("serviceaccounts", "", True, ["sa", "serviceaccount"]),
    "Secret": ("secrets", "", True, ["secret"]),
    "ConfigMap": ("configmaps", "", True, ["cm", "configmap"]),
    "Deployment": ("deployments", "apps", True, ["deploy", "deployment"]),
    "DaemonSet": ("daemonsets", "apps", True, ["ds", "daemonset"]),
    "ReplicaSet": ("replicasets", "apps", True, ["rs", "replicaset"]),
    "StatefulSet": ("statefulsets", "apps", True, ["sts", "statefulset"]),
    "Role": ("roles", "rbac.authorization.k8s.io", True, ["role"]),
    "RoleBinding": ("rolebindings", "rbac.authorization.k8s.io", True, ["rolebinding"]),
    "ClusterRole": ("clusterroles", "rbac.authorization.k8s.io", False, ["clusterrole"]),
    "ClusterRoleBinding": ("clusterrolebindings", "rbac.authorization.k8s.io", False, ["clusterrolebinding"]),
    "CustomResourceDefinition": ("customresourcedefinitions", "apiextensions.k8s.io", False, ["crd", "crds", "customresourcedefinition"]),
    "PodDisruptionBudget": ("poddisruptionbudgets", "policy", True, ["pdb", "poddisruptionbudget"]),
    "PodSecurityPolicy": ("podsecuritypolicies", "policy", False, ["psp", "podsecuritypolicy"]),
    "Job": ("jobs", "batch", True, ["job"]),
    "CronJob": ("cronjobs", "batch", True, ["cj", "cronjob"]),
    "Ingress": ("ingresses", "networking.k8s.io", True, ["ing", "ingress"]),
    "NetworkPolicy": ("networkpolicies", "networking.k8s.io", True, ["netpol", "networkpolicy"]),
    "PriorityClass": ("priorityclasses", "scheduling.k8s.io", False, ["pc", "priorityclass"]),
    "StorageClass": ("storageclasses", "storage.k8s.io", False, ["sc", "storageclass"]),
    "Endpoints": ("endpoints", "", True, ["ep"]),
    "Event": ("events", "", True, ["ev", "event"]),
    "ComponentStatus": ("componentstatuses", "", False, ["cs", "componentstatus"]),
}

# apiVersions each kind is served at, by Kubernetes minor range.
API_SERVED = {
    ("PodDisruptionBudget", "policy/v1beta1"): (5, 24),
    ("PodDisruptionBudget", "policy/v1"): (21, 99),
    ("PodSecurityPolicy", "policy/v1beta1"): (3, 24),
    ("CronJob", "batch/v1beta1"): (8, 24),
    ("CronJob", "batch/v1"): (21, 99),
    ("CustomResourceDefinition", "apiextensions.k8s.io/v1beta1"): (7, 21),
    ("CustomResourceDefinition", "apiextensions.k8s.io/v1"): (16, 99),
    ("Ingress", "networking.k8s.io/v1"): (19, 99),
    ("Ingress", "extensions/v1beta1"): (1, 21),
    ("ClusterRole", "rbac.authorization.k8s.io/v1beta1"): (6, 21),
    ("ClusterRoleBinding", "rbac.authorization.k8s.io/v1beta1"): (6, 21),
    ("Role", "rbac.authorization.k8s.io/v1beta1"): (6, 21),
    ("RoleBinding", "rbac.authorization.k8s.io/v1beta1"): (6, 21),
}


def resource_of(word):
    """kind for a resource word (pods, po, deploy, deployment.apps ...)."""
    w = word.lower().split(".", 1)[0]
    for kind, (plural, group, nsd, shorts) in KINDS.items():
        if w == plural or w in shorts or w == kind.lower():
            return kind
    return None


def ref_name(kind):
    plural, group, _n, _s = KINDS.get(kind, (kind.lower() + "s", "", True, []))
    return kind.lower() + ("." + group if group else "")


# ---- connecting -----------------------------------------------------------------

def kubeconfig_path(flags):
    if flags.get("kubeconfig"):
        return flags["kubeconfig"]
    env = os.environ.get("KUBECONFIG")
    if env:
        return env.split(":")[0]
    return os.path.expanduser("~/.kube/config")


def connect_error(path):
    """Why kubectl cannot talk to the cluster with this kubeconfig, or None."""
    import yaml
    txt = lc.read_file(path)
    if txt is None:
        return "The connection to the server localhost:8080 was refused - did you specify the right host or port?"
    try:
        kc = lc.yaml_load(txt) or {}
        cl = kc["clusters"][0]["cluster"]
        server = cl["server"]
        ca = base64.b64decode(cl.get("certificate-authority-data", "")).decode(errors="replace")
    except (yaml.YAMLError, KeyError, IndexError, TypeError, ValueError):
        return "error: error loading config file \"%s\": couldn't get version/kind; json parse error" % path
    m = re.match(r"^https://([^:/]+):?(\d*)", server)
    if not m:
        return "Unable to connect to the server: unsupported protocol scheme"
    host, port = m.group(1), m.group(2) or "443"
    addr = kstate.resolve(host)
    if addr is None:
        return "Unable to connect to the server: dial tcp: lookup %s on 127.0.0.53:53: no such host" % host
    cid = kstate.select_by_address(addr)
    cs = kstate.load() if cid else {}
    if port != "6443" or not kstate.api_up(cs, addr):
        return "The connection to the server %s:%s was refused - did you specify the right host or port?" % (host, port)
    if ca.strip() != (cs.get("ca_pem") or "").strip():
        return ("Unable to connect to the server: x509: certificate signed by unknown authority (possibly because of "
                "\"crypto/rsa: verification error\" while trying to verify candidate authority certificate \"kubernetes\")")
    return None


# ---- the world: stored objects plus what the cluster computes -------------------

def _uid(*parts):
    h = hashlib.sha1("/".join(parts).encode()).hexdigest()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])


def _suffix(*parts, n=5):
    h = hashlib.sha1("/".join(parts).encode()).hexdigest()
    alpha = "bcdfghjklmnpqrstvwxz2456789"
    return "".join(alpha[int(h[i * 2:i * 2 + 2], 16) % len(alpha)] for i in range(n))


def _meta(name, ns=None, created=None, labels=None):
    m = {"name": name, "uid": _uid(ns or "", name), "creationTimestamp": lc.iso(created or lc.now()),
         "resourceVersion": str(abs(hash(name)) % 100000)}
    if ns:
        m["namespace"] = ns
    if labels:
        m["labels"] = labels
    return m


def calico_state(cs, index=None):
    """(installed, pool cidr, image problem on node index) of calico-node."""
    ds = cs.get("objects", {}).get("DaemonSet/kube-system/calico-node")
    if not ds:
        return False, None, None
    cidr = DEFAULT_POOL
    prob = None
    for c in ds.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []) or []:
        for e in c.get("env", []) or []:
            if e.get("name") == "CALICO_IPV4POOL_CIDR" and "value" in e:
                cidr = str(e["value"])
        import fk_runtime
        why = fk_runtime.pull_error(c.get("image", ""), index)
        if why:
            prob = why
    return True, cidr, prob


def node_ready(cs, name):
    """(ready, reason message)."""
    nd = cs["nodes"][name]
    prob = kstate.kubelet_problem(nd["index"], nd.get("version"))
    if prob:
        return False, "Kubelet stopped posting node status."
    inst, cidr, iprob = calico_state(cs, nd["index"])
    if not inst:
        return False, ("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
                       "message:%s: network plugin is not ready: cni config uninitialized"
                       % ("docker" if nd.get("runtime") == "docker" else "Network plugin returns error"))
    pod = cs.get("podSubnet") or ""
    if iprob or (pod and cidr != pod):
        return False, ("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
                       "message:Network plugin returns error: cni plugin not initialized")
    return True, "kubelet is posting ready status"


def _taints(cs, name):
    return cs.get("taints", {}).get(name, [])


def _tolerates(tols, taint):
    key, _, eff = taint.partition(":")
    for t in tols or []:
        if t.get("operator") == "Exists" and not t.get("key"):
            if not t.get("effect") or t.get("effect") == eff:
                return True
        if t.get("key") == key and (not t.get("effect") or t.get("effect") == eff):
            return True
    return False


def _node_obj(cs, name):
    nd = cs["nodes"][name]
    ready, msg = node_ready(cs, name)
    m = kstate.minor(cs.get("version", "1.30.0"))
    labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
              "kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}
    labels.update(cs.get("labels", {}).get(name, {}))
    if nd.get("role") == "control-plane":
        labels["node-role.kubernetes.io/control-plane"] = ""
        if m < 24:
            labels["node-role.kubernetes.io/master"] = ""
        else:
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    osr = lc.read_file(os.path.join(kstate.node_dir(nd["index"]), "fs", "etc", "os-release"), "") or ""
    mm = re.search(r'^PRETTY_NAME="?([^"\n]*)"?', osr, re.M)
    import fk_runtime
    pk = kstate.node_packages(nd["index"])
    if nd.get("runtime") == "docker":
        rt = "docker://%s" % (pk.get("docker-ce", {}).get("version", "20.10.7"))
    else:
        rt = "containerd://%s" % (fk_runtime.containerd_version(pk) or "1.7.0")
    taints = [{"key": t.split(":")[0], "effect": t.split(":")[1]} for t in _taints(cs, name)]
    if not ready:
        taints.append({"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"})
    obj = {"apiVersion": "v1", "kind": "Node", "metadata": _meta(name, None, nd.get("joined"), labels),
           "spec": {"podCIDR": "", "taints": taints} if taints else {"podCIDR": ""},
           "status": {"addresses": [{"type": "InternalIP", "address": nd["address"]}, {"type": "Hostname", "address": name}],
                      "conditions": [
                          {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory"},
                          {"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure"},
                          {"type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID"},
                          {"type": "Ready", "status": "True" if ready else "False",
                           "reason": "KubeletReady" if ready else "KubeletNotReady", "message": msg}],
                      "nodeInfo": {"kubeletVersion": "v" + nd.get("version", cs.get("version", "")),
                                   "kubeProxyVersion": "v" + cs.get("version", ""),
                                   "containerRuntimeVersion": rt, "osImage": mm.group(1) if mm else "Linux",
                                   "kernelVersion": os.uname().release, "operatingSystem": "linux",
                                   "architecture": "amd64"}}}
    if cs.get("podSubnet"):
        obj["spec"]["podCIDR"] = cs["podSubnet"]
    return obj, ready


def _pod(name, ns, node, images, phase, ready, created, labels=None, reason=None, owner=None, ip=None):
    cstat = []
    for i, img in enumerate(images):
        st = {"running": {"startedAt": lc.iso(created)}} if phase == "Running" else \
             {"waiting": {"reason": reason or "ContainerCreating"}}
        cstat.append({"name": "c%d" % i, "image": img, "ready": bool(ready), "restartCount": 0, "state": st,
                      "started": phase == "Running"})
    p = {"apiVersion": "v1", "kind": "Pod", "metadata": _meta(name, ns, created, labels or {}),
         "spec": {"nodeName": node or "", "containers": [{"name": "c%d" % i, "image": img} for i, img in enumerate(images)]},
         "status": {"phase": "Running" if phase == "Running" else "Pending", "podIP": ip or "",
                    "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
                    "containerStatuses": cstat, "_display": reason if phase != "Running" else "Running"}}
    if owner:
        p["metadata"]["ownerReferences"] = [{"kind": owner[0], "name": owner[1]}]
    return p


def _template_images(obj):
    spec = obj.get("spec", {}).get("template", {}).get("spec", {})
    return [c.get("image", "") for c in spec.get("containers", []) or []], spec.get("tolerations", []) or []


def world(cs):
    """All objects the API server would return, as {key: obj}."""
    objs = {}
    if not cs.get("initialized"):
        return objs
    t0 = cs.get("created", lc.now())
    version = cs.get("version", "1.30.0")
    m = kstate.minor(version)
    repo = cs.get("imageRepository") or None
    imgs = kstate.image_list(version, repo)
    img = {k: [i for i in imgs if "/%s:" % k in i or ("/coredns" in i and k == "coredns")][0]
           for k in ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy", "etcd", "coredns")}
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        objs["Namespace//" + ns] = {"apiVersion": "v1", "kind": "Namespace", "metadata": _meta(ns, None, t0),
                                    "status": {"phase": "Active"}}
    objs["Service/default/kubernetes"] = {"apiVersion": "v1", "kind": "Service", "metadata": _meta("kubernetes", "default", t0),
                                          "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1",
                                                   "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}}
    objs["Service/kube-system/kube-dns"] = {"apiVersion": "v1", "kind": "Service", "metadata": _meta("kube-dns", "kube-system", t0),
                                            "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.10",
                                                     "ports": [{"name": "dns", "port": 53, "protocol": "UDP"},
                                                               {"name": "dns-tcp", "port": 53, "protocol": "TCP"},
                                                               {"name": "metrics", "port": 9153, "protocol": "TCP"}]}}
    objs["ConfigMap/kube-system/kubeadm-config"] = {"apiVersion": "v1", "kind": "ConfigMap",
                                                    "metadata": _meta("kubeadm-config", "kube-system", t0),
                                                    "data": {"ClusterConfiguration": "kubernetesVersion: v%s\ncontrolPlaneEndpoint: %s\n"
                                                             "imageRepository: %s\nnetworking:\n  podSubnet: %s\n  serviceSubnet: %s\n"
                                                             % (version, cs.get("controlPlaneEndpoint", ""), repo or kstate.default_repo(version),
                                                                cs.get("podSubnet", ""), cs.get("serviceSubnet", ""))}}
    objs["Deployment/kube-system/coredns"] = {"apiVersion": "apps/v1", "kind": "Deployment",
                                              "metadata": _meta("coredns", "kube-system", t0, {"k8s-app": "kube-dns"}),
                                              "spec": {"replicas": 2, "template": {"spec": {
                                                  "containers": [{"name": "coredns", "image": img["coredns"]}],
                                                  "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                                                  {"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"},
                                                                  {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]}}}}
    objs["DaemonSet/kube-system/kube-proxy"] = {"apiVersion": "apps/v1", "kind": "DaemonSet",
                                                "metadata": _meta("kube-proxy", "kube-system", t0, {"k8s-app": "kube-proxy"}),
                                                "spec": {"template": {"spec": {
                                                    "containers": [{"name": "kube-proxy", "image": img["kube-proxy"]}],
                                                    "tolerations": [{"operator": "Exists"}]}}}}
    stored = cs.get("objects", {})
    for k, o in stored.items():
        objs[k] = json.loads(json.dumps(o))
    # ServiceAccounts: a default one per namespace; token secrets before 1.24.
    nss = [k.split("/")[2] for k in objs if k.startswith("Namespace//")]
    for ns in nss:
        objs.setdefault("ServiceAccount/%s/default" % ns, {"apiVersion": "v1", "kind": "ServiceAccount",
                                                           "metadata": _meta("default", ns, t0)})
    for k, o in list(objs.items()):
        if o.get("kind") == "ServiceAccount" and m < 24:
            ns, name = k.split("/")[1], k.split("/")[2]
            sname = "%s-token-%s" % (name, _suffix(ns, name))
            o["secrets"] = [{"name": sname}]
            objs["Secret/%s/%s" % (ns, sname)] = {
                "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                "metadata": dict(_meta(sname, ns, t0), annotations={"kubernetes.io/service-account.name": name}),
                "data": {"ca.crt": base64.b64encode((cs.get("ca_pem") or "").encode()).decode(),
                         "namespace": base64.b64encode(ns.encode()).decode(),
                         "token": base64.b64encode(make_token(ns, name, None, cs).encode()).decode()}}
        if o.get("kind") == "Secret" and o.get("type") == "kubernetes.io/service-account-token":
            ns = k.split("/")[1]
            san = (o.get("metadata", {}).get("annotations") or {}).get("kubernetes.io/service-account.name")
            if san and ("ServiceAccount/%s/%s" % (ns, san)) in objs:
                o.setdefault("data", {})
                o["data"]["token"] = base64.b64encode(make_token(ns, san, None, cs).encode()).decode()
                o["data"]["ca.crt"] = base64.b64encode((cs.get("ca_pem") or "").encode()).decode()
                o["data"]["namespace"] = base64.b64encode(ns.encode()).decode()
    for comp in ("scheduler", "controller-manager", "etcd-0"):
        objs["ComponentStatus//" + comp] = {"apiVersion": "v1", "kind": "ComponentStatus",
                                            "metadata": _meta(comp, None, t0),
                                            "conditions": [{"type": "Healthy", "status": "True",
                                                            "message": "ok"}]}
    # Nodes and pods.
    nodes = sorted(cs.get("nodes", {}), key=lambda n: cs["nodes"][n].get("joined", 0))
    ready_nodes = []
    for n in nodes:
        o, r = _node_obj(cs, n)
        objs["Node//" + n] = o
        if r:
            ready_nodes.append(n)
    import fk_runtime
    for n in nodes:
        nd = cs["nodes"][n]
        ok = kstate.kubelet_problem(nd["index"], nd.get("version")) is None
        if nd.get("role") == "control-plane":
            for comp in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"):
                objs["Pod/kube-system/%s-%s" % (comp, n)] = _pod("%s-%s" % (comp, n), "kube-system", n, [img[comp]],
                                                                "Running" if ok else "Pending", ok, nd.get("joined", t0),
                                                                {"component": comp, "tier": "control-plane"},
                                                                None if ok else "Unknown", ip=nd["address"])
    for k, o in list(objs.items()):
        kind = o.get("kind")
        if kind not in ("DaemonSet", "Deployment"):
            continue
        ns, name = k.split("/")[1], k.split("/")[2]
        images, tols = _template_images(o)
        pulls = {}

        def bad_on(n, images=images, pulls=pulls):
            if n not in pulls:
                pulls[n] = any(fk_runtime.pull_error(i, cs["nodes"][n]["index"]) for i in images)
            return pulls[n]
        labels = (o.get("spec", {}).get("template", {}).get("metadata") or {}).get("labels") or {}
        created = kstate.vtuple("0") and o.get("_created", t0)
        host_net = bool(o.get("spec", {}).get("template", {}).get("spec", {}).get("hostNetwork"))
        if kind == "DaemonSet":
            desired = ready_cnt = 0
            for n in nodes:
                if not all(_tolerates(tols, t) for t in _taints(cs, n)):
                    continue
                nd = cs["nodes"][n]
                desired += 1
                kubelet_ok = kstate.kubelet_problem(nd["index"], nd.get("version")) is None
                nready = n in ready_nodes
                bad_pull = bad_on(n)
                if name == "calico-node":
                    rdy = kubelet_ok and nready and not bad_pull
                    phase = "Running" if kubelet_ok and not bad_pull else "Pending"
                elif name == "kube-proxy":
                    rdy = kubelet_ok
                    phase = "Running" if kubelet_ok else "Pending"
                else:
                    rdy = nready and not bad_pull
                    phase = "Running" if rdy else "Pending"
                reason = "ImagePullBackOff" if bad_pull else ("Running" if phase == "Running" else "ContainerCreating")
                pn = "%s-%s" % (name, _suffix(ns, name, n))
                objs["Pod/%s/%s" % (ns, pn)] = _pod(pn, ns, n, images, phase, rdy, nd.get("joined", t0), labels,
                                                    reason, ("DaemonSet", name), ip=nd["address"])
                if rdy:
                    ready_cnt += 1
            o["status"] = {"desiredNumberScheduled": desired, "currentNumberScheduled": desired,
                           "numberReady": ready_cnt, "numberAvailable": ready_cnt, "updatedNumberScheduled": desired,
                           "numberMisscheduled": 0, "observedGeneration": 1}
        else:
            replicas = o.get("spec", {}).get("replicas", 1)
            if replicas is None:
                replicas = 1
            cands = [n for n in ready_nodes if all(_tolerates(tols, t) for t in _taints(cs, n))]
            ready_cnt = 0
            for r in range(replicas):
                pn = "%s-%s-%s" % (name, _suffix(ns, name, "rs", n=10)[:9] + "f", _suffix(ns, name, str(r)))
                bad_pull = bool(cands) and bad_on(cands[r % len(cands)])
                if not cands:
                    p = _pod(pn, ns, None, images, "Pending", False, t0, labels, "Pending", ("ReplicaSet", name))
                elif bad_pull:
                    p = _pod(pn, ns, cands[r % len(cands)], images, "Pending", False, t0, labels, "ImagePullBackOff",
                             ("ReplicaSet", name))
                else:
                    node = cands[r % len(cands)]
                    pfx = ".".join((cs.get("podSubnet") or "10.244.0.0/16").split(".")[:2])
                    ip = cs["nodes"][node]["address"] if host_net else "%s.%d.%d" % (pfx, nodes.index(node) + 1, 2 + r)
                    p = _pod(pn, ns, node, images, "Running", True, t0, labels, None, ("ReplicaSet", name), ip=ip)
                    ready_cnt += 1
                objs["Pod/%s/%s" % (ns, pn)] = p
            avail = ready_cnt >= replicas
            o["status"] = {"replicas": replicas, "readyReplicas": ready_cnt, "availableReplicas": ready_cnt,
                           "updatedReplicas": replicas, "observedGeneration": 1,
                           "conditions": [{"type": "Available", "status": "True" if avail else "False",
                                           "reason": "MinimumReplicasAvailable" if avail else "MinimumReplicasUnavailable"}]}
    return objs


def make_token(ns, sa, duration, cs):
    now = int(lc.now())
    hdr = {"alg": "RS256", "kid": _suffix("kid", cs.get("ca_hash", ""), n=20)}
    pl = {"aud": ["https://kubernetes.default.svc.cluster.local"], "iat": now,
          "iss": "https://kubernetes.default.svc.cluster.local", "sub": "system:serviceaccount:%s:%s" % (ns, sa),
          "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": sa}}}
    if duration is not None:
        pl["exp"] = now + int(duration)

    def b(x):
        return base64.urlsafe_b64encode(json.dumps(x, separators=(",", ":")).encode()).decode().rstrip("=")
    sig = base64.urlsafe_b64encode(hashlib.sha256((b(hdr) + b(pl) + str(random.random())).encode()).digest() * 8).decode().rstrip("=")
    return "%s.%s.%s" % (b(hdr), b(pl), sig)


def nodeport_service(cs, port):
    """(ready, kind) of what answers on a NodePort, or None."""
    w = world(cs)
    for k, o in w.items():
        if o.get("kind") != "Service" or o.get("spec", {}).get("type") not in ("NodePort", "LoadBalancer"):
            continue
        for p in o["spec"].get("ports", []):
            if p.get("nodePort") == port:
                ns = k.split("/")[1]
                sel = o["spec"].get("selector") or {}
                ready = False
                for pk, po in w.items():
                    if po.get("kind") == "Pod" and pk.split("/")[1] == ns and \
                            all(po["metadata"].get("labels", {}).get(a) == b for a, b in sel.items()) and sel and \
                            po["status"]["conditions"][0]["status"] == "True":
                        ready = True
                name = k.split("/")[2]
                kind = "dashboard" if "dashboard" in name else ("headlamp" if "headlamp" in name else "other")
                return ready, kind
    return None


# ---- formatting -------------------------------------------------------------------

def _age(ts):
    try:
        t = time.mktime(time.strptime(ts, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    except (ValueError, TypeError):
        return "<unknown>"
    d = max(0, int(lc.now() - t))
    if d < 120:
        return "%ds" % d
    if d < 3 * 3600:
        return "%dm" % (d // 60)
    if d < 2 * 86400:
        return "%dh" % (d // 3600)
    return "%dd" % (d // 86400)


def _clean(o):
    o = json.loads(json.dumps(o))
    o.get("status", {}).pop("_display", None)
    o.pop("_created", None)
    return o


def _row(kind, o, wide, cs):
    md = o["metadata"]
    age = _age(md.get("creationTimestamp"))
    if kind == "Node":
        ready = [c for c in o["status"]["conditions"] if c["type"] == "Ready"][0]["status"] == "True"
        roles = ",".join(sorted(k.split("/", 1)[1] for k in md.get("labels", {}) if k.startswith("node-role.kubernetes.io/"))) or "<none>"
        st = "Ready" if ready else "NotReady"
        row = [md["name"], st, roles, age, o["status"]["nodeInfo"]["kubeletVersion"]]
        if wide:
            ni = o["status"]["nodeInfo"]
            row += [o["status"]["addresses"][0]["address"], "<none>", ni["osImage"], ni["kernelVersion"], ni["containerRuntimeVersion"]]
        return row
    if kind == "Pod":
        cst = o["status"]["containerStatuses"]
        rd = sum(1 for c in cst if c["ready"])
        row = [md["name"], "%d/%d" % (rd, len(cst)), o["status"]["_display"], "0", age]
        if wide:
            row += [o["status"].get("podIP") or "<none>", o["spec"].get("nodeName") or "<none>", "<none>", "<none>"]
        return row
    if kind == "Service":
        sp = o.get("spec", {})
        ports = ",".join("%s%s/%s" % (p.get("port"), ":%s" % p["nodePort"] if p.get("nodePort") else "", p.get("protocol", "TCP"))
                         for p in sp.get("ports", []))
        row = [md["name"], sp.get("type", "ClusterIP"), sp.get("clusterIP", "10.96.%d.%d" % (len(md["name"]), len(md.get("namespace", "")) + 1)),
               "<none>", ports or "<none>", age]
        if wide:
            sel = sp.get("selector") or {}
            row.append(",".join("%s=%s" % kv for kv in sel.items()) or "<none>")
        return row
    if kind == "Deployment":
        s = o.get("status", {})
        return [md["name"], "%d/%d" % (s.get("readyReplicas", 0), s.get("replicas", 0)), str(s.get("updatedReplicas", 0)),
                str(s.get("availableReplicas", 0)), age]
    if kind == "DaemonSet":
        s = o.get("status", {})
        return [md["name"], str(s.get("desiredNumberScheduled", 0)), str(s.get("currentNumberScheduled", 0)),
                str(s.get("numberReady", 0)), str(s.get("updatedNumberScheduled", 0)), str(s.get("numberAvailable", 0)),
                ",".join("%s=%s" % kv for kv in (o.get("spec", {}).get("template", {}).get("spec", {}).get("nodeSelector") or {}).items()) or "<none>",
                age]
    if kind == "ServiceAccount":
        return [md["name"], str(len(o.get("secrets", []))), age]
    if kind == "Secret":
        return [md["name"], o.get("type", "Opaque"), str(len(o.get("data", {}) or {})), age]
    if kind == "Namespace":
        return [md["name"], "Active", age]
    if kind == "ConfigMap":
        return [md["name"], str(len(o.get("data", {}) or {})), age]
    if kind == "ComponentStatus":
        return [md["name"], "Healthy", "ok", ""]
    return [md["name"], age]


HEADERS = {
    "Node": ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
    "Node+": ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
    "Pod": ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
    "Pod+": ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
    "Service": ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
    "Service+": ["SELECTOR"],
    "Deployment": ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
    "DaemonSet": ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
    "ServiceAccount": ["NAME", "SECRETS", "AGE"],
    "Secret": ["NAME", "TYPE", "DATA", "AGE"],
    "Namespace": ["NAME", "STATUS", "AGE"],
    "ConfigMap": ["NAME", "DATA", "AGE"],
    "ComponentStatus": ["NAME", "STATUS", "MESSAGE", "ERROR"],
}


def _table(rows):
    if not rows:
        return ""
    w = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "".join("   ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip() + "\n" for r in rows)


def go_template(tpl, obj):
    def repl(m):
        expr = m.group(1).strip()
        if expr.startswith('"') and expr.endswith('"'):
            return expr[1:-1].encode().decode("unicode_escape")
        parts = [p.strip() for p in expr.split("|")]
        path = parts[0]
        cur = obj
        for seg in [s for s in path.split(".") if s]:
            cur = cur.get(seg) if isinstance(cur, dict) else None
        v = "<no value>" if cur is None else (cur if isinstance(cur, str) else json.dumps(cur))
        for f in parts[1:]:
            if f == "base64decode":
                v = base64.b64decode(v).decode(errors="replace")
        return v
    return re.sub(r"\{\{(.*?)\}\}", repl, tpl)


# ---- commands -----------------------------------------------------------------------

def parse(a):
    flags = {}
    pos = []
    i = 0
    takes = {"n", "namespace", "o", "output", "f", "filename", "p", "patch", "kubeconfig", "l", "selector", "type",
             "timeout", "duration", "request-timeout", "context", "s", "server", "field-selector", "for", "raw",
             "template", "sort-by", "container", "c", "token", "grace-period", "replicas", "clusterrole",
             "serviceaccount", "tail"}
    while i < len(a):
        x = a[i]
        if x == "--":
            pos.extend(a[i + 1:])
            break
        if x.startswith("--"):
            name, eq, val = x[2:].partition("=")
            if not eq:
                if name in takes and i + 1 < len(a):
                    val = a[i + 1]
                    i += 1
                else:
                    val = "true"
            if name in ("filename", "f"):
                flags.setdefault("f", []).append(val)
            else:
                flags[{"namespace": "n", "output": "o", "selector": "l", "patch": "p"}.get(name, name)] = val
        elif x.startswith("-") and len(x) > 1 and x != "-":
            name = x[1:2]
            rest = x[2:]
            if name in ("n", "o", "f", "p", "l", "s", "c"):
                if rest.startswith("="):
                    rest = rest[1:]
                val = rest or (a[i + 1] if i + 1 < len(a) else "")
                if not rest:
                    i += 1
                if name == "f":
                    flags.setdefault("f", []).append(val)
                else:
                    flags[name] = val
            elif name == "A":
                flags["all-namespaces"] = "true"
            elif name == "w":
                flags["watch"] = "true"
            else:
                flags[x[1:]] = "true"
        else:
            pos.append(x)
        i += 1
    return flags, pos


def _ns(flags):
    return flags.get("n") or "default"


def _select(objs, kind, ns, names, flags):
    allns = flags.get("all-namespaces") == "true"
    nsd = KINDS.get(kind, ("", "", True, []))[2]
    res = []
    for k, o in objs.items():
        if o.get("kind") != kind:
            continue
        kns = k.split("/")[1]
        if nsd and not allns and kns != ns:
            continue
        if names and o["metadata"]["name"] not in names:
            continue
        sel = flags.get("l")
        if sel:
            labels = o["metadata"].get("labels") or {}
            okk = True
            for term in sel.split(","):
                kk, _, vv = term.partition("=")
                if labels.get(kk.strip()) != vv.strip().lstrip("="):
                    okk = False
            if not okk:
                continue
        res.append(o)
    res.sort(key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
    return res


def cmd_get(flags, pos, cs):
    if flags.get("raw"):
        p = flags["raw"]
        if p in ("/readyz", "/healthz", "/livez"):
            out("ok")
            return 0
        if p.startswith("/readyz?") or p.startswith("/livez?"):
            out("[+]ping ok\n[+]etcd ok\nreadyz check passed" if "verbose" in p else "ok")
            return 0
        err("Error from server (NotFound): the server could not find the requested resource")
        raise Exit(1)
    if not pos:
        err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.")
        raise Exit(1)
    reqs = []
    for p in pos[0].split(","):
        if "/" in p:
            t, n = p.split("/", 1)
            reqs.append((t, [n]))
        else:
            reqs.append((p, pos[1:] if len(pos[0].split(",")) == 1 else []))
    for p in pos[1:]:
        if "/" in p:
            t, n = p.split("/", 1)
            reqs.append((t, [n]))
            if reqs[0][1] and reqs[0][1] == pos[1:]:
                reqs[0] = (reqs[0][0], [])
    objs = world(cs)
    ns = _ns(flags)
    o = flags.get("o", "")
    results = []
    for t, names in reqs:
        kind = resource_of(t)
        if kind is None:
            if t.lower() in ("all",):
                kind = "Pod"
            else:
                err("error: the server doesn't have a resource type \"%s\"" % t)
                raise Exit(1)
        sel = _select(objs, kind, ns, names, flags)
        for n in names:
            if not any(x["metadata"]["name"] == n for x in sel):
                plural, group, _n, _s = KINDS[kind]
                err("Error from server (NotFound): %s%s \"%s\" not found" % (plural, "." + group if group else "", n))
                raise Exit(1)
        results.append((kind, names, sel))
    single = len(results) == 1 and len(results[0][1]) == 1
    items = [x for _k, _n, s in results for x in s]
    if o.startswith("jsonpath") or o.startswith("go-template") or o in ("json", "yaml"):
        data = _clean(items[0]) if single else {"apiVersion": "v1", "items": [_clean(x) for x in items], "kind": "List",
                                                 "metadata": {"resourceVersion": ""}}
        if o == "json":
            out(json.dumps(data, indent=4))
        elif o == "yaml":
            import yaml
            sys.stdout.write(yaml.safe_dump(data, default_flow_style=False))
        elif o.startswith("jsonpath"):
            tpl = o.split("=", 1)[1] if "=" in o else flags.get("template", "")
            if len(tpl) >= 2 and tpl[0] == tpl[-1] and tpl[0] in "'\"":
                tpl = tpl[1:-1]
            import jsonpath
            try:
                sys.stdout.write(jsonpath.render(tpl, data))
            except jsonpath.JPError as e:
                err("error: error executing jsonpath %s: Error executing template: %s. Printing more information "
                    "for debugging the template:\n\ttemplate was:\n\t\t%s" % (json.dumps(tpl), e, tpl))
                raise Exit(1)
        else:
            tpl = o.split("=", 1)[1] if "=" in o else flags.get("template", "")
            sys.stdout.write(go_template(tpl, data))
        return 0
    if o.startswith("custom-columns="):
        import jsonpath
        cols = []
        for spec in o.split("=", 1)[1].split(","):
            if ":" not in spec:
                err("error: custom-columns format should be NAME:FIELD")
                raise Exit(1)
            name, path = spec.split(":", 1)
            cols.append((name, path if path.startswith("{") else "{" + path + "}"))
        rows = [] if flags.get("no-headers") == "true" else [[c[0] for c in cols]]
        for x in items:
            row = []
            for _name, path in cols:
                try:
                    v = jsonpath.render(path, _clean(x))
                except jsonpath.JPError:
                    v = ""
                row.append(v if v != "" else "<none>")
            rows.append(row)
        sys.stdout.write(_table(rows))
        return 0
    if o not in ("", "wide", "name"):
        err("error: unable to match a printer suitable for the output format \"%s\", allowed formats are: "
            "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
            "jsonpath-file,name,template,templatefile,wide,yaml" % o)
        raise Exit(1)
    if o == "name":
        for kind, _n, sel in results:
            for x in sel:
                out("%s/%s" % (ref_name(kind), x["metadata"]["name"]))
        return 0
    wide = o == "wide"
    allns = flags.get("all-namespaces") == "true"
    printed = False
    for kind, _n, sel in results:
        if not sel:
            continue
        printed = True
        hdr = list(HEADERS.get(kind, ["NAME", "AGE"]))
        if wide:
            hdr += HEADERS.get(kind + "+", [])
        nsd = KINDS.get(kind, ("", "", True, []))[2]
        rows = []
        if allns and nsd:
            hdr = ["NAMESPACE"] + hdr
        if flags.get("no-headers") != "true":
            rows.append(hdr)
        for x in sel:
            r = _row(kind, x, wide, cs)
            if len(results) > 1:
                r[0] = "%s/%s" % (ref_name(kind), r[0])
            if allns and nsd:
                r = [x["metadata"].get("namespace", "")] + r
            rows.append(r)
        sys.stdout.write(_table(rows))
    if not printed:
        if allns:
            err("No resources found")
        else:
            err("No resources found in %s namespace." % ns)
    return 0


def _load_docs(srcs):
    import yaml
    docs = []
    for src in srcs:
        if src == "-":
            txt = sys.stdin.read()
            name = "STDIN"
        elif re.match(r"^https?://", src):
            import fk_net
            code, body = fk_net.fetch(src)
            if code == 0:
                host = re.sub(r"^[a-z]+://([^/:]+).*$", r"\1", src)
                err("error: unable to read URL \"%s\", server reported %s, status code=0: Get \"%s\": dial tcp: lookup "
                    "%s on 127.0.0.53:53: no such host" % (src, "", src, host))
                raise Exit(1)
            if code < 0:
                err("error: unable to read URL \"%s\": Get \"%s\": dial tcp: i/o timeout" % (src, src))
                raise Exit(1)
            if code != 200:
                err("error: unable to read URL \"%s\", server reported %d Not Found, status code=%d" % (src, code, code))
                raise Exit(1)
            txt = body.decode()
            name = src
        else:
            if os.path.isdir(src):
                files = sorted(os.path.join(src, f) for f in os.listdir(src) if f.endswith((".yaml", ".yml", ".json")))
            else:
                files = [src]
            txt = ""
            for f in files:
                t = lc.read_file(f)
                if t is None:
                    err("error: the path \"%s\" does not exist" % f)
                    raise Exit(1)
                txt += t + "\n---\n"
            name = src
        try:
            for d in lc.yaml_load_all(txt):
                if not d:
                    continue
                if d.get("kind") == "List" or (d.get("kind", "").endswith("List") and "items" in d):
                    for it in d.get("items", []):
                        docs.append((it, name))
                else:
                    docs.append((d, name))
        except yaml.YAMLError as e:
            err("error: error parsing %s: error converting YAML to JSON: %s" % (name, str(e).splitlines()[0]))
            raise Exit(1)
    return docs


def _served(kind, api, m):
    rng = API_SERVED.get((kind, api))
    if rng is None:
        return True
    return rng[0] <= m <= rng[1]


def _key(kind, ns, name):
    return "%s/%s/%s" % (kind, ns if KINDS.get(kind, ("", "", True, []))[2] else "", name)


def _next_nodeport(cs, want=None):
    used = set()
    for o in cs.get("objects", {}).values():
        if o.get("kind") == "Service":
            for p in o.get("spec", {}).get("ports", []) or []:
                if p.get("nodePort"):
                    used.add(p["nodePort"])
    if want:
        return want if want not in used else None
    rnd = random.Random(len(used) + int(lc.now()))
    while True:
        p = rnd.randint(30000, 32767)
        if p not in used:
            return p


def _validate_service(cs, o, key):
    sp = o.setdefault("spec", {})
    t = sp.get("type", "ClusterIP")
    sp.setdefault("type", t)
    name = o["metadata"]["name"]
    for i, p in enumerate(sp.get("ports", []) or []):
        if t in ("NodePort", "LoadBalancer"):
            np_ = p.get("nodePort")
            if np_ is not None:
                np_ = int(np_)
                if not 30000 <= np_ <= 32767:
                    return ("The Service \"%s\" is invalid: spec.ports[%d].nodePort: Invalid value: %d: provided port is "
                            "not in the valid range. The range of valid ports is 30000-32767" % (name, i, np_))
                old = cs.get("objects", {}).get(key)
                mine = [q.get("nodePort") for q in (old or {}).get("spec", {}).get("ports", [])]
                if np_ not in mine and _next_nodeport(cs, np_) is None:
                    return ("The Service \"%s\" is invalid: spec.ports[%d].nodePort: Invalid value: %d: provided port is "
                            "already allocated" % (name, i, np_))
                p["nodePort"] = np_
            else:
                p["nodePort"] = _next_nodeport(cs)
        else:
            if p.get("nodePort") is not None:
                p.pop("nodePort")
    if "clusterIP" not in sp:
        h = int(hashlib.sha1(key.encode()).hexdigest()[:4], 16)
        sp["clusterIP"] = "10.96.%d.%d" % (h // 256, h % 254 + 1)
    return None


def cmd_apply(flags, pos, cs, create=False):
    srcs = flags.get("f") or []
    if not srcs:
        err("error: must specify one of -f and -k")
        raise Exit(1)
    docs = _load_docs(srcs)
    m = kstate.minor(cs.get("version", "1.30.0"))
    rc = 0
    with kstate.locked() as c2:
        objs = c2.setdefault("objects", {})
        for d, src in docs:
            kind = d.get("kind", "")
            api = d.get("apiVersion", "")
            md = d.setdefault("metadata", {})
            name = md.get("name", "")
            if kind not in KINDS and not api.startswith(("crd.projectcalico.org", "operator.tigera.io")):
                pass
            if not _served(kind, api, m) or (kind not in KINDS and kind not in _crd_kinds(objs)):
                err("error: resource mapping not found for name: \"%s\" namespace: \"%s\" from \"%s\": no matches for "
                    "kind \"%s\" in version \"%s\"\nensure CRDs are installed first" % (name, md.get("namespace", ""), src, kind, api))
                rc = 1
                continue
            nsd = KINDS.get(kind, ("", "", True, []))[2]
            ns = (md.get("namespace") or flags.get("n") or "default") if nsd else ""
            if nsd:
                md["namespace"] = ns
                if ns not in ("default", "kube-system", "kube-public", "kube-node-lease") and ("Namespace//" + ns) not in objs:
                    err("Error from server (NotFound): error when creating \"%s\": namespaces \"%s\" not found" % (src, ns))
                    rc = 1
                    continue
            key = _key(kind, ns, name)
            old = objs.get(key)
            if create and old:
                err("Error from server (AlreadyExists): error when creating \"%s\": %s \"%s\" already exists"
                    % (src, KINDS.get(kind, (kind.lower() + "s",))[0], name))
                rc = 1
                continue
            d = json.loads(json.dumps(d))
            d["metadata"].setdefault("creationTimestamp", (old or {}).get("metadata", {}).get("creationTimestamp", lc.iso()))
            d["metadata"].setdefault("uid", _uid(key))
            if kind == "Service":
                if old and old.get("spec", {}).get("type") == d.get("spec", {}).get("type"):
                    for p, q in zip(d.get("spec", {}).get("ports", []), old["spec"].get("ports", [])):
                        if "nodePort" not in p and q.get("nodePort"):
                            p["nodePort"] = q["nodePort"]
                why = _validate_service(c2, d, key)
                if why:
                    err("Error from server (Invalid): error when creating \"%s\": %s" % (src, why))
                    rc = 1
                    continue
            if old is None:
                verb = "created"
            else:
                a = json.loads(json.dumps(old))
                b = json.loads(json.dumps(d))
                for x in (a, b):
                    x.get("metadata", {}).pop("creationTimestamp", None)
                    x.get("metadata", {}).pop("uid", None)
                    x.pop("status", None)
                verb = "unchanged" if a == b else "configured"
            objs[key] = d
            out("%s/%s %s" % (ref_name(kind) if kind in KINDS else kind.lower() + "." + api.split("/")[0], name, verb))
    return rc


def _crd_kinds(objs):
    res = set()
    for o in objs.values():
        if o.get("kind") == "CustomResourceDefinition":
            k = o.get("spec", {}).get("names", {}).get("kind")
            if k:
                res.add(k)
    return res


def _merge(a, b):
    """Strategic-ish merge: dicts recursively; ports/containers lists by key."""
    if isinstance(a, dict) and isinstance(b, dict):
        r = dict(a)
        for k, v in b.items():
            if v is None:
                r.pop(k, None)
            elif k in r:
                r[k] = _merge(r[k], v)
            else:
                r[k] = v
        return r
    if isinstance(a, list) and isinstance(b, list):
        if all(isinstance(x, dict) for x in a + b):
            for keyf in ("port", "name", "containerPort"):
                if all(keyf in x for x in b):
                    res = [dict(x) for x in a]
                    for x in b:
                        for i, y in enumerate(res):
                            if y.get(keyf) == x.get(keyf):
                                res[i] = _merge(y, x)
                                break
                        else:
                            res.append(x)
                    return res
        return b
    return b


def cmd_patch(flags, pos, cs):
    if len(pos) < 1:
        err("error: you must specify the type of resource to patch")
        raise Exit(1)
    if "/" in pos[0]:
        t, name = pos[0].split("/", 1)
    elif len(pos) > 1:
        t, name = pos[0], pos[1]
    else:
        err("error: resource(s) were provided, but no name was specified")
        raise Exit(1)
    kind = resource_of(t)
    ptxt = flags.get("p")
    if not ptxt:
        err("error: must specify -p to patch")
        raise Exit(1)
    try:
        patch = json.loads(ptxt)
    except ValueError:
        import yaml
        try:
            patch = yaml.safe_load(ptxt)
        except yaml.YAMLError:
            patch = None
    if not isinstance(patch, dict) and not (flags.get("type") == "json" and isinstance(patch, list)):
        err("error: unable to parse \"%s\": yaml: did not find expected node content" % ptxt)
        raise Exit(1)
    ns = _ns(flags) if KINDS.get(kind, ("", "", True))[2] else ""
    key = _key(kind, ns, name)
    if kind == "Node":
        err("error: the lab supports patching stored objects only (nodes: use taint/label)")
        raise Exit(1)
    with kstate.locked() as c2:
        objs = c2.setdefault("objects", {})
        old = objs.get(key)
        if old is None:
            if key in world(c2):
                old = world(c2)[key]
                old.pop("status", None)
            else:
                plural, group, _n, _s = KINDS[kind]
                err("Error from server (NotFound): %s%s \"%s\" not found" % (plural, "." + group if group else "", name))
                raise Exit(1)
        if flags.get("type") == "json":
            new = json.loads(json.dumps(old))
            for op in patch:
                path = [p for p in op.get("path", "").split("/") if p]
                cur = new
                for p in path[:-1]:
                    cur = cur[int(p)] if isinstance(cur, list) else cur.setdefault(p, {})
                last = path[-1]
                if op.get("op") in ("add", "replace"):
                    if isinstance(cur, list):
                        if last == "-":
                            cur.append(op["value"])
                        else:
                            cur[int(last)] = op["value"]
                    else:
                        cur[last] = op["value"]
                elif op.get("op") == "remove":
                    if isinstance(cur, list):
                        del cur[int(last)]
                    else:
                        cur.pop(last, None)
        else:
            new = _merge(old, patch)
        if kind == "Service":
            why = _validate_service(c2, new, key)
            if why:
                err(why)
                raise Exit(1)
        same = json.dumps(old, sort_keys=True) == json.dumps(new, sort_keys=True)
        objs[key] = new
    out("%s/%s patched%s" % (ref_name(kind), name, " (no change)" if same else ""))
    return 0


def _parse_dur(s):
    try:
        return kstate.parse_duration(s)
    except ValueError:
        err("error: invalid argument \"%s\" for \"--duration\" flag: time: invalid duration \"%s\"" % (s, s))
        raise Exit(1)


def cmd_create(flags, pos, cs):
    if flags.get("f"):
        return cmd_apply(flags, pos, cs, create=True)
    if not pos:
        err("error: must specify one of -f and -k")
        raise Exit(1)
    sub = pos[0]
    m = kstate.minor(cs.get("version", "1.30.0"))
    ns = _ns(flags)
    if sub == "token":
        mine = kstate.minor(lc.installed_packages().get("kubectl", {}).get("version", "1.30.0"))
        if mine < 24 or m < 24:
            err("error: unknown command \"token\" for \"kubectl create\"" if mine < 24 else
                "error: failed to create token: the server could not find the requested resource")
            raise Exit(1)
        if len(pos) < 2:
            err("error: TOKEN is required")
            raise Exit(1)
        sa = pos[1]
        if ("ServiceAccount/%s/%s" % (ns, sa)) not in world(cs):
            err("error: failed to create token: serviceaccounts \"%s\" not found" % sa)
            raise Exit(1)
        dur = _parse_dur(flags["duration"]) if "duration" in flags else 3600
        if dur and dur < 600:
            err("error: failed to create token: TokenRequest.authentication.k8s.io \"%s\" is invalid: "
                "spec.expirationSeconds: Invalid value: %d: may not specify a duration less than 10 minutes" % (sa, dur))
            raise Exit(1)
        out(make_token(ns, sa, dur, cs))
        return 0
    simple = {"namespace": "Namespace", "ns": "Namespace", "serviceaccount": "ServiceAccount", "sa": "ServiceAccount"}
    if sub in simple and len(pos) > 1:
        kind = simple[sub]
        d = {"apiVersion": "v1", "kind": kind, "metadata": {"name": pos[1]}}
        if kind != "Namespace":
            d["metadata"]["namespace"] = ns
        return _store(d, True)
    if sub == "clusterrolebinding" and len(pos) > 1:
        role = flags.get("clusterrole")
        sa = flags.get("serviceaccount", "")
        sns, _, sname = sa.partition(":")
        d = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": pos[1]},
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
             "subjects": [{"kind": "ServiceAccount", "name": sname, "namespace": sns}] if sa else []}
        return _store(d, True)
    err("error: unknown command \"%s\" for \"kubectl create\" in the lab" % sub)
    raise Exit(1)


def _store(d, create):
    import tempfile
    import yaml
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        yaml.safe_dump(d, f)
        p = f.name
    try:
        return cmd_apply({"f": [p]}, [], kstate.load(), create=create)
    finally:
        os.unlink(p)


def cmd_rollout(flags, pos, cs):
    if len(pos) < 2 or pos[0] != "status":
        err("error: the lab supports 'rollout status' only")
        raise Exit(1)
    if "/" in pos[1]:
        t, name = pos[1].split("/", 1)
    else:
        t, name = pos[1], pos[2] if len(pos) > 2 else ""
    kind = resource_of(t)
    ns = _ns(flags)
    key = _key(kind, ns, name)
    try:
        timeout = kstate.parse_duration(flags.get("timeout", "0s")) if flags.get("timeout") not in (None, "0") else 0
    except ValueError:
        timeout = 0
    # The lab compresses waiting: nothing changes while kubectl waits, so it
    # waits at most LAB_ROLLOUT_WAIT seconds (default 3) for another actor.
    cap = float(os.environ.get("LAB_ROLLOUT_WAIT", "3"))
    deadline = time.time() + min(timeout if timeout else cap, cap)
    last = None
    while True:
        kstate.reset_cache()
        w = world(kstate.load())
        o = w.get(key)
        if o is None:
            plural, group, _n, _s = KINDS[kind]
            err("Error from server (NotFound): %s%s \"%s\" not found" % (plural, "." + group if group else "", name))
            raise Exit(1)
        s = o.get("status", {})
        if kind == "DaemonSet":
            done = s.get("numberAvailable", 0) >= s.get("desiredNumberScheduled", 0) and s.get("desiredNumberScheduled", 0) > 0
            msg = "Waiting for daemon set \"%s\" rollout to finish: %d of %d updated pods are available..." % (
                name, s.get("numberAvailable", 0), s.get("desiredNumberScheduled", 0))
            okmsg = "daemon set \"%s\" successfully rolled out" % name
        else:
            done = s.get("availableReplicas", 0) >= s.get("replicas", 1)
            msg = "Waiting for deployment \"%s\" rollout to finish: %d of %d updated replicas are available..." % (
                name, s.get("availableReplicas", 0), s.get("replicas", 1))
            okmsg = "deployment \"%s\" successfully rolled out" % name
        if done:
            out(okmsg)
            return 0
        if msg != last:
            out(msg)
            last = msg
        if time.time() >= deadline:
            err("error: timed out waiting for the condition")
            raise Exit(1)
        time.sleep(0.5)


def cmd_taint(flags, pos, cs):
    if len(pos) < 2 or resource_of(pos[0]) != "Node":
        err("error: the lab supports 'taint nodes NAME|--all TAINT' only")
        raise Exit(1)
    names = list(cs.get("nodes", {})) if flags.get("all") == "true" else [pos[1]]
    specs = pos[1:] if flags.get("all") == "true" else pos[2:]
    with kstate.locked() as c2:
        for n in names:
            if n not in c2.get("nodes", {}):
                err("Error from server (NotFound): nodes \"%s\" not found" % n)
                raise Exit(1)
            tl = c2.setdefault("taints", {}).setdefault(n, [])
            changed = False
            for s in specs:
                if s.endswith("-"):
                    key = s[:-1]
                    kk, _, eff = key.partition(":")
                    new = [t for t in tl if not (t.split(":")[0].split("=")[0] == kk and (not eff or t.endswith(":" + eff)))]
                    if len(new) == len(tl):
                        err("error: taint \"%s\" not found" % key)
                        raise Exit(1)
                    tl[:] = new
                    changed = True
                else:
                    kk = s.split("=")[0].split(":")[0]
                    eff = s.split(":")[-1]
                    tl.append("%s:%s" % (kk, eff))
                    changed = True
            out("node/%s %s" % (n, "untainted" if all(x.endswith("-") for x in specs) else "tainted") if changed else "node/%s modified" % n)
    return 0


def cmd_delete(flags, pos, cs):
    if flags.get("f"):
        docs = _load_docs(flags["f"])
        keys = []
        for d, _src in docs:
            kind = d.get("kind", "")
            nsd = KINDS.get(kind, ("", "", True, []))[2]
            ns = (d.get("metadata", {}).get("namespace") or _ns(flags)) if nsd else ""
            keys.append((kind, ns, d.get("metadata", {}).get("name", "")))
    else:
        if not pos:
            err("error: You must provide one or more resources by argument or filename.")
            raise Exit(1)
        if "/" in pos[0]:
            t, n = pos[0].split("/", 1)
            names = [n]
        else:
            t, names = pos[0], pos[1:]
        kind = resource_of(t)
        nsd = KINDS.get(kind, ("", "", True, []))[2]
        keys = [(kind, _ns(flags) if nsd else "", n) for n in names]
    rc = 0
    with kstate.locked() as c2:
        for kind, ns, name in keys:
            k = _key(kind, ns, name)
            if kind == "Node" and name in c2.get("nodes", {}):
                del c2["nodes"][name]
                out("node \"%s\" deleted" % name)
            elif k in c2.get("objects", {}):
                del c2["objects"][k]
                if kind == "Namespace":
                    for kk in list(c2["objects"]):
                        if kk.split("/")[1] == name:
                            del c2["objects"][kk]
                out("%s \"%s\" deleted" % (ref_name(kind), name))
            elif flags.get("ignore-not-found") != "true":
                plural, group, _n, _s = KINDS.get(kind, (kind.lower() + "s", "", True, []))
                err("Error from server (NotFound): %s%s \"%s\" not found" % (plural, "." + group if group else "", name))
                rc = 1
    return rc


def _targets(flags, pos, cs):
    """[(kind, key, obj)] named by TYPE NAME... / TYPE/NAME / TYPE --all|-l."""
    objs = world(cs)
    res = []
    if not pos:
        err("error: you must specify the type of resource")
        raise Exit(1)
    if "/" in pos[0]:
        items = [p.split("/", 1) for p in pos]
    else:
        items = [(pos[0], n) for n in pos[1:]] or [(pos[0], None)]
    for t, n in items:
        kind = resource_of(t)
        if kind is None:
            err("error: the server doesn't have a resource type \"%s\"" % t)
            raise Exit(1)
        if n is None:
            if flags.get("all") != "true" and not flags.get("l"):
                err("error: resource(s) were provided, but no name was specified")
                raise Exit(1)
            for o in _select(objs, kind, _ns(flags), [], flags):
                res.append((kind, _key(kind, o["metadata"].get("namespace", ""), o["metadata"]["name"]), o))
            continue
        ns = _ns(flags) if KINDS[kind][2] else ""
        k = _key(kind, ns, n)
        if k not in objs:
            plural, group, _n, _s = KINDS[kind]
            err("Error from server (NotFound): %s%s \"%s\" not found" % (plural, "." + group if group else "", n))
            raise Exit(1)
        res.append((kind, k, objs[k]))
    return res


def cmd_wait(flags, pos, cs):
    cond = flags.get("for", "")
    m = re.match(r"^condition=([A-Za-z]+)(?:=(\w+))?$", cond)
    if not m and cond != "delete":
        err("error: unrecognized condition: \"%s\"" % cond)
        raise Exit(1)
    try:
        timeout = kstate.parse_duration(flags.get("timeout", "30s"))
    except ValueError:
        timeout = 30
    cap = float(os.environ.get("LAB_ROLLOUT_WAIT", "3"))
    deadline = time.time() + min(timeout, cap)
    while True:
        kstate.reset_cache()
        c2 = kstate.load()
        tg = _targets(flags, pos, c2)
        if not tg:
            err("error: no matching resources found")
            raise Exit(1)
        pending = []
        for kind, key, o in tg:
            if cond == "delete":
                pending.append((kind, o))
                continue
            want = (m.group(2) or "True").lower()
            conds = o.get("status", {}).get("conditions", []) or []
            ok = any(c.get("type", "").lower() == m.group(1).lower() and str(c.get("status", "")).lower() == want
                     for c in conds)
            if not ok:
                pending.append((kind, o))
        if not pending:
            for kind, key, o in tg:
                out("%s/%s condition met" % (ref_name(kind), o["metadata"]["name"]))
            return 0
        if time.time() >= deadline:
            kind, o = pending[0]
            err("error: timed out waiting for the condition on %s/%s" % (KINDS[kind][0], o["metadata"]["name"]))
            raise Exit(1)
        time.sleep(0.5)


def cmd_label(flags, pos, cs, what):
    if len(pos) < 2:
        err("error: at least one %s update is required" % ("label" if what == "label" else "annotation"))
        raise Exit(1)
    specs = [p for p in pos if "=" in p or p.endswith("-")]
    names = [p for p in pos if p not in specs]
    tg = _targets(flags, names, cs)
    field = "labels" if what == "label" else "annotations"
    with kstate.locked() as c2:
        for kind, key, o in tg:
            name = o["metadata"]["name"]
            if kind == "Node":
                cur = c2.setdefault(field, {}).setdefault(name, {})
            else:
                obj = c2.setdefault("objects", {}).get(key)
                if obj is None:
                    obj = json.loads(json.dumps(o))
                    obj.pop("status", None)
                    c2["objects"][key] = obj
                cur = obj.setdefault("metadata", {}).setdefault(field, {})
            for sp in specs:
                if sp.endswith("-"):
                    cur.pop(sp[:-1], None)
                    continue
                k, v = sp.split("=", 1)
                if k in cur and cur[k] != v and flags.get("overwrite") != "true":
                    err("error: '%s' already has a value (%s), and --overwrite is false" % (k, cur[k]))
                    raise Exit(1)
                cur[k] = v
            out("%s/%s %s" % (ref_name(kind), name, "labeled" if what == "label" else "annotated"))
    return 0


def cmd_cordon(flags, pos, cs, what):
    if not pos:
        err("error: USAGE: %s NODE [flags]" % what)
        raise Exit(1)
    name = pos[0].split("/", 1)[-1]
    if name not in cs.get("nodes", {}):
        err("Error from server (NotFound): nodes \"%s\" not found" % name)
        raise Exit(1)
    key = "node.kubernetes.io/unschedulable:NoSchedule"
    with kstate.locked() as c2:
        tl = c2.setdefault("taints", {}).setdefault(name, [])
        if what == "uncordon":
            if key in tl:
                tl.remove(key)
                out("node/%s uncordoned" % name)
            else:
                out("node/%s already uncordoned" % name)
            return 0
        if key in tl:
            out("node/%s already cordoned" % name)
        else:
            tl.append(key)
            out("node/%s cordoned" % name)
    if what == "drain":
        out("node/%s drained" % name)
    return 0


def cmd_scale(flags, pos, cs):
    rep = flags.get("replicas")
    if rep is None or not rep.isdigit():
        err("error: a replicas value is required")
        raise Exit(1)
    tg = _targets(flags, pos, cs)
    with kstate.locked() as c2:
        for kind, key, o in tg:
            obj = c2.setdefault("objects", {}).get(key)
            if obj is None or kind != "Deployment":
                err("error: the lab scales stored Deployments only")
                raise Exit(1)
            obj.setdefault("spec", {})["replicas"] = int(rep)
            out("%s/%s scaled" % (ref_name(kind), o["metadata"]["name"]))
    return 0


def kubectl(argv):
    a = argv[1:]
    flags, pos = parse(a)
    if not pos:
        out("kubectl controls the Kubernetes cluster manager.")
        return 0
    cmd, rest = pos[0], pos[1:]
    pk = lc.installed_packages()
    mine = pk.get("kubectl", {}).get("version", "1.30.0")
    if cmd == "version":
        client = flags.get("client") == "true"
        if kstate.minor(mine) < 28 and flags.get("short") == "true":
            out("Client Version: v%s" % mine)
        elif kstate.minor(mine) < 24 and flags.get("o") is None:
            out('Client Version: version.Info{Major:"1", Minor:"%d", GitVersion:"v%s", GitCommit:"lab", '
                'GitTreeState:"clean", BuildDate:"2024-01-01T00:00:00Z", GoVersion:"go1.15.14", Compiler:"gc", '
                'Platform:"linux/amd64"}' % (kstate.minor(mine), mine))
        elif flags.get("o") == "json":
            out('{\n  "clientVersion": {\n    "major": "1",\n    "minor": "%d",\n    "gitVersion": "v%s"\n  }\n}' % (kstate.minor(mine), mine))
            return 0
        else:
            out("Client Version: v%s" % mine)
            if kstate.minor(mine) >= 24:
                out("Kustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3")
        if client:
            return 0
        why = connect_error(kubeconfig_path(flags))
        if why:
            err(why)
            raise Exit(1)
        out("Server Version: v%s" % kstate.load().get("version"))
        return 0
    if cmd in ("config",):
        if rest and rest[0] == "view":
            sys.stdout.write(lc.read_file(kubeconfig_path(flags), "") or "apiVersion: v1\nclusters: null\n")
        return 0
    why = connect_error(kubeconfig_path(flags))
    if why:
        err(why)
        raise Exit(1)
    cs = kstate.load()
    if cmd == "get":
        return cmd_get(flags, rest, cs)
    if cmd == "apply":
        return cmd_apply(flags, rest, cs)
    if cmd == "create":
        return cmd_create(flags, rest, cs)
    if cmd == "patch":
        return cmd_patch(flags, rest, cs)
    if cmd == "rollout":
        return cmd_rollout(flags, rest, cs)
    if cmd == "taint":
        return cmd_taint(flags, rest, cs)
    if cmd == "delete":
        return cmd_delete(flags, rest, cs)
    if cmd == "cluster-info":
        out("Kubernetes control plane is running at https://%s" % cs.get("endpoint"))
        out("CoreDNS is running at https://%s/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy" % cs.get("endpoint"))
        return 0
    if cmd in ("describe",):
        return cmd_get(dict(flags, o="yaml"), rest, cs)
    if cmd == "wait":
        return cmd_wait(flags, rest, cs)
    if cmd in ("label", "annotate"):
        return cmd_label(flags, rest, cs, cmd)
    if cmd in ("cordon", "uncordon", "drain"):
        return cmd_cordon(flags, rest, cs, cmd)
    if cmd == "scale":
        return cmd_scale(flags, rest, cs)
    if cmd == "logs":
        name = rest[0] if rest else ""
        if "/" in name:
            name = name.split("/", 1)[1]
        if ("Pod/%s/%s" % (_ns(flags), name)) not in world(cs):
            err("Error from server (NotFound): pods \"%s\" not found" % name)
            raise Exit(1)
        out("%s I0000 lab: %s is running" % (lc.iso(), name))
        return 0
    err("error: unknown command \"%s\" for \"kubectl\"" % cmd)
    raise Exit(1)

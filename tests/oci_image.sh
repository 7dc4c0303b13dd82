# Sourced by the engine tests (oci_containerd.sh, oci_docker.sh).
#
# build_image ROOTFS DIR TAG: DIR/image.tar, a docker-archive image made
# offline from ROOTFS, which `ctr images import` and `docker load` both
# take: one layer (the rootfs, numeric owners), a config naming that layer
# by the sha256 of its bytes (its diff_id), and a manifest tying the config
# and the layer to TAG.  The scratch files go in DIR/image/.
build_image() {
	_root=$1 _dir=$2 _tag=$3
	mkdir -p "$_dir/image"
	tar --numeric-owner -C "$_root" --exclude=./probes --exclude=./.built -cf "$_dir/image/layer.tar" .
	_layer=$(sha256sum "$_dir/image/layer.tar" | cut -d' ' -f1)
	cat > "$_dir/image/config.json" <<JSON
{"architecture":"$(dpkg --print-architecture)","os":"linux",
 "config":{"Env":["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$_layer"]}}
JSON
	echo "[{\"Config\":\"config.json\",\"RepoTags\":[\"$_tag\"],\"Layers\":[\"layer.tar\"]}]" > "$_dir/image/manifest.json"
	tar -C "$_dir/image" -cf "$_dir/image.tar" manifest.json config.json layer.tar
}

"""Everything the screens demo simulates, set up in one place: ``DemoRig``.

- the reference cloud on loopback (``EmbeddedCloud``), seeded with the demo catalog and
  members and offline caps, and this till registered with it over HTTP;
- a fresh demo store with the catalog;
- a demo customer: the first photo of ``[demo] photos`` (else scikit-image's public-domain
  astronaut photo) made the face of the demo member Zhang** (balance ¥200), and a video
  of that customer walking up to the kiosk, played by a ``FramePump`` as the camera;
- the face models from the configured folder or the installed packages; without the
  anti-spoofing models (they come with provisioning) the simulated camera's liveness
  stands in, and the rig says so (``liveness_note``).

``parts()`` gives the demo till's ``Parts`` for ``FrontEnd``; ``close()`` stops the cloud.
What must not live here: the scripted sale (``demo_ui.py``), widgets.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
from pathlib import Path

from drivers.camera import FramePump
from drivers.camera.source import source_for
from drivers.codes.camera_scanner import CameraScanner
from drivers.scanner import ScanSource
from terminal.app.parts import Parts, cloud_client, face_parts, sync_worker
from terminal.config import Settings, UiLanguage
from terminal.demo.customers import customer_video, demo_member_template, demo_photos
from terminal.demo.embedded_cloud import EmbeddedCloud
from terminal.demo.headless import prepare_store
from terminal.face.errors import EnrollmentRefused, ModelMissing
from terminal.face.models import ModelLocator
from terminal.face.pipeline import FaceModels, LivenessSource
from terminal.sync.registration import Registration
from terminal.ui.strings import Language

log = logging.getLogger(__name__)

DEMO_MEMBER = "zhang"
VIDEO_FPS = 15
VIDEO_SECONDS = 12.0
VIDEO_EMPTY_S = 2.0  # nobody at the kiosk, then the customer steps up


class DemoRig:
    def __init__(self, settings: Settings, db_path: Path, *, folder: Path | None = None) -> None:
        started = time.perf_counter()
        self._tmp = tempfile.TemporaryDirectory(prefix="facepay-demo-")
        self.folder = folder or Path(self._tmp.name)
        self.db_path = db_path
        prepare_store(db_path)
        self.cloud = EmbeddedCloud(self.folder / "cloud").start()
        try:
            self.registration: Registration = self.cloud.register(db_path, "demo till")
            self.settings = dataclasses.replace(
                settings, db_path=db_path, device_id=self.registration.device_id
            )
            locator = ModelLocator(models_dir=settings.models_dir)
            self.liveness: LivenessSource = settings.face.liveness
            loading = time.perf_counter()
            try:
                self.models = FaceModels.load(locator, liveness=self.liveness)
            except ModelMissing:
                # A fresh machine has no anti-spoofing models until provisioning.
                self.liveness = "simulated"
                self.models = FaceModels.load(locator, liveness="simulated")
            self.models_s = time.perf_counter() - loading
            self.photo = demo_photos(settings.demo.photos)[0]
            try:
                model, vector = demo_member_template(self.photo, locator, models=self.models)
            except EnrollmentRefused as refused:
                if refused.code != "liveness":
                    raise
                # A photo is what the anti-spoofing models exist to refuse (the bundled
                # astronaut scores 0.55-0.65): the demo camera's liveness stands in.
                self.liveness = "simulated"
                self.models = FaceModels.load(locator, liveness="simulated")
                model, vector = demo_member_template(self.photo, locator, models=self.models)
            self.member_id = self.cloud.enroll_demo_member(DEMO_MEMBER, vector, model)
            self.video = customer_video(
                self.photo,
                self.folder / "customer.avi",
                seconds=VIDEO_SECONDS,
                fps=VIDEO_FPS,
                empty_s=VIDEO_EMPTY_S,
                locator=locator,
            )
        except BaseException:
            self.close()
            raise
        self.setup_s = time.perf_counter() - started
        log.info("demo rig ready", extra={"seconds": round(self.setup_s, 2)})

    @property
    def liveness_note(self) -> str:
        if self.liveness == "simulated":
            return (
                "Liveness: simulated by the demo camera (the anti-spoofing models come with "
                "provisioning, and they refuse most photos of photos; set [models] dir or "
                "FACEPAY_MODELS_DIR and [demo] photos of live captures to use them)."
            )
        return "Liveness: the anti-spoofing models."

    def parts(
        self,
        *,
        scanner: ScanSource | None = None,
        language: Language = Language.ZH_CN,
        thanks_s: float = 8.0,
        pace: bool = True,
    ) -> Parts:
        """The demo till's ``Parts``: the simulated camera (a new one each call;
        ``pace=False``: frames as fast as they are asked for, for load tests), the face
        worker on it, ``scanner``, the cloud client and a quick sync worker."""
        ui_language: UiLanguage = "en" if language is Language.EN else "zh_CN"
        settings = dataclasses.replace(
            self.settings,
            ui=dataclasses.replace(self.settings.ui, language=ui_language, thanks_s=thanks_s),
            sync=dataclasses.replace(self.settings.sync, send_every_s=1.0, timeout_s=3.0),
        )
        camera = FramePump(source_for(self.video), pace=pace)
        return Parts(
            settings=settings,
            registration=self.registration,
            cloud=cloud_client(settings, self.registration),
            scanner=scanner,
            camera=camera,
            camera_codes=CameraScanner(camera),
            face=face_parts(camera, self.models, settings),
            sync=sync_worker(settings, self.registration),
        )

    def close(self) -> None:
        self.cloud.stop()
        self._tmp.cleanup()

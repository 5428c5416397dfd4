"""The face pipeline, one module a stage: ``models`` (manifest, sha256, where files come
from), ``engines`` (onnxruntime / OpenCV DNN with thread limits), ``detect`` (YuNet:
boxes + 5 landmarks), ``select`` (the primary face), ``quality`` (size, pose, blur,
light), ``liveness`` (MiniFASNet anti-spoofing over frames), ``align`` (5-point similarity
to 112x112), ``embed`` (SFace, L2-normalised, tagged with the model), ``gallery`` (1:N
cosine search), ``decide`` (votes over frames, membership vs payment), ``enroll``,
``pipeline`` (the stages for one frame, and a customer session), ``worker`` (the thread
on the camera's newest frame) and ``evaluation`` (``face-eval``).

No Qt here, and no face image is written anywhere unless a debug folder is configured.
"""

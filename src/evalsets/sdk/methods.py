"""The public methods ``Client`` and ``AsyncClient`` share, each declared once.

Each is a descriptor around an operation of :mod:`evalsets.sdk.operations`: on ``Client`` it
is a plain method that runs it; on ``AsyncClient`` (``asynchronous = True``) an ``async def``
method (or an async generator, for those that iterate). A client supplies the transport:
``_run(op)`` (drives an operation) and ``_iterate(source)`` (yields a source's items).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from types import MethodType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from evalsets.sdk.calls import Op, Server, Source
from evalsets.sdk.operations import Operations

if TYPE_CHECKING:
    from evalsets.sdk.async_client import AsyncClient
    from evalsets.sdk.client import Client

P = ParamSpec("P")
T = TypeVar("T")
Awaited = Coroutine[Any, Any, T]


class _Method:
    """Picks the sync ``function`` or the ``coroutine`` by the class it is read from."""

    function: Callable[..., Any]
    coroutine: Callable[..., Any]

    def _pick(self, obj: Any, owner: type[Any]) -> Any:
        found = self.coroutine if getattr(owner, "asynchronous", False) else self.function
        return found if obj is None else MethodType(found, obj)


class operation(_Method, Generic[P, T]):
    """A method that runs an operation and returns its result (awaitable on AsyncClient)."""

    def __init__(self, op: Callable[Concatenate[Operations, P], Op[T]]) -> None:
        @functools.wraps(op)
        def function(client: Any, /, *args: Any, **kwargs: Any) -> Any:
            return client._run(op(client._ops, *args, **kwargs))

        @functools.wraps(op)
        async def coroutine(client: Any, /, *args: Any, **kwargs: Any) -> Any:
            return await client._run(op(client._ops, *args, **kwargs))

        self.function, self.coroutine = function, coroutine

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Callable[..., Any]: ...
    @overload
    def __get__(self, obj: AsyncClient, owner: type[Any]) -> Callable[P, Awaited[T]]: ...
    @overload
    def __get__(self, obj: Client, owner: type[Any]) -> Callable[P, T]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        return self._pick(obj, owner)


class iteration(_Method, Generic[P, T]):
    """A method that iterates over the items of an operation's source (``async for``)."""

    def __init__(self, op: Callable[Concatenate[Operations, P], Op[Source[T]]]) -> None:
        @functools.wraps(op)
        def function(client: Any, /, *args: Any, **kwargs: Any) -> Iterator[Any]:
            yield from client._iterate(client._run(op(client._ops, *args, **kwargs)))

        @functools.wraps(op)
        async def coroutine(client: Any, /, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            async for item in client._iterate(await client._run(op(client._ops, *args, **kwargs))):
                yield item

        self.function, self.coroutine = function, coroutine

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Callable[..., Any]: ...
    @overload
    def __get__(self, obj: AsyncClient, owner: type[Any]) -> Callable[P, AsyncIterator[T]]: ...
    @overload
    def __get__(self, obj: Client, owner: type[Any]) -> Callable[P, Iterator[T]]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        return self._pick(obj, owner)


class Methods:
    """Every operation of the native API, as a method of both clients."""

    def __init__(self, url: str | None, key: str | None, timeout: float) -> None:
        self._server = Server.of(url, key)
        self._timeout = timeout
        self._ops = Operations()
        self.url = self._server.url

    # --- identity, projects, keys, environments -----------------------------------------

    me = operation(Operations.me)
    projects = operation(Operations.projects)
    create_project = operation(Operations.create_project)
    keys = operation(Operations.keys)
    create_key = operation(Operations.create_key)
    revoke_key = operation(Operations.revoke_key)
    environments = operation(Operations.environments)
    create_environment = operation(Operations.create_environment)

    # --- datasets ------------------------------------------------------------------------

    datasets = iteration(Operations.datasets)
    dataset_id = operation(Operations.dataset_id)
    find_dataset = operation(Operations.find_dataset)
    dataset = operation(Operations.dataset)
    create_dataset = operation(Operations.create_dataset)
    ensure_dataset = operation(Operations.ensure_dataset)
    update_dataset = operation(Operations.update_dataset)
    move_dataset = operation(Operations.move_dataset)
    delete_dataset = operation(Operations.delete_dataset)

    # --- versions and deployments --------------------------------------------------------

    versions = operation(Operations.versions)
    version = operation(Operations.version)
    newest_version = operation(Operations.newest_version)
    resolve_version = operation(Operations.resolve_version)
    write_version = operation(Operations.write_version)
    update_version = operation(Operations.update_version)
    delete_version = operation(Operations.delete_version)
    commit = operation(Operations.commit)
    restore = operation(Operations.restore)
    deployments = operation(Operations.deployments)
    deploy = operation(Operations.deploy)
    undeploy = operation(Operations.undeploy)

    # --- datapoints ----------------------------------------------------------------------

    page = operation(Operations.page)
    datapoints = iteration(Operations.datapoints)
    datapoint = operation(Operations.datapoint)
    add = operation(Operations.add)
    replace_datapoint = operation(Operations.replace_datapoint)
    patch_datapoint = operation(Operations.patch_datapoint)
    delete_datapoints = operation(Operations.delete_datapoints)
    history = operation(Operations.history)
    diff = operation(Operations.diff)

    # --- export and dataframes -----------------------------------------------------------

    export = iteration(Operations.export)
    export_records = iteration(Operations.export_records)
    export_file = operation(Operations.export_file)
    to_pandas = operation(Operations.to_pandas)
    to_arrow = operation(Operations.to_arrow)
    to_hf = operation(Operations.to_hf)
    from_pandas = operation(Operations.from_pandas)
    from_arrow = operation(Operations.from_arrow)
    from_hf = operation(Operations.from_hf)
